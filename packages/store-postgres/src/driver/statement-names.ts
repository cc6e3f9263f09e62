import { createHash } from 'node:crypto';

/**
 * Names for the store's statements, so each pooled connection parses and plans a statement once
 * and then only binds and executes it. The batch statements (group commit) are kilobytes of SQL
 * and run hundreds of times a second: on the bench machine PostgreSQL spent about as much CPU per
 * send as the sender itself, a third of it parsing and planning the same texts again
 * (`log_min_duration_statement` splits parse, bind and execute).
 *
 * A prepared statement whose tables changed shape (a migration run by a newer deploy while this
 * process runs) fails with "cached plan must not change result type" (SQLSTATE 0A000). After that
 * error the names move to a new generation, so every connection prepares the statements afresh;
 * the failed call is retried once under its new name.
 */
export interface StatementNames {
  /** The name of `text` in the current generation. */
  nameOf(text: string): string;
  /** Whether `error` says a prepared statement is stale; if so, starts a new generation. */
  renewedAfter(error: unknown): boolean;
}

/** The message PostgreSQL gives a prepared statement whose result type changed. */
const STALE_PLAN = 'cached plan must not change result type';

/**
 * The most statement texts remembered. The store's statements are a fixed set (a few dozen per
 * schema); this only bounds memory if something ever built SQL text from data, which the store
 * never does. Past it, the oldest names are forgotten (their texts are hashed again when used).
 */
export const STATEMENT_NAMES_MAX = 1_000;

/** Names for one driver's statements (see {@link StatementNames}). */
export function createStatementNames(): StatementNames {
  let generation = 0;
  const hashes = new Map<string, string>();
  return {
    nameOf(text) {
      let hash = hashes.get(text);
      if (hash === undefined) {
        hash = createHash('sha256').update(text).digest('base64url').slice(0, 24);
        if (hashes.size >= STATEMENT_NAMES_MAX) hashes.delete(hashes.keys().next().value as string);
        hashes.set(text, hash);
      }
      return `tl${generation}_${hash}`;
    },
    renewedAfter(error) {
      const stale =
        error instanceof Error &&
        (error as Error & { code?: unknown }).code === '0A000' &&
        error.message.includes(STALE_PLAN);
      if (stale) generation += 1;
      return stale;
    },
  };
}
