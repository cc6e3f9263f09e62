import pg from 'pg';

/** Counts statements; see {@link countStatements}. */
export interface StatementCounter {
  reset(): void;
  read(): number;
}

/**
 * Counts every statement a node-postgres client of this process sends (BEGIN and COMMIT
 * included), as `store-postgres/test/send-statements.test.ts` does, so a figure can be read beside
 * the round trips it took. For a sender process whose only PostgreSQL client is the store under
 * test: the bench and the store resolve the same `pg` module, so the store's pool is counted.
 */
export function countStatements(): StatementCounter {
  let count = 0;
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function counted(this: pg.Client, ...args: unknown[]) {
    count += 1;
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof query;
  return {
    reset: () => {
      count = 0;
    },
    read: () => count,
  };
}
