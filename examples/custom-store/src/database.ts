import { StoreError } from '@threadline/core';
import initSqlJs, { type Database as SqlJsDatabase, type SqlValue } from 'sql.js';
import { SCHEMA } from './schema';

/** A bound parameter: `undefined` is stored as SQL `NULL` (sql.js refuses `undefined`). */
export type Param = string | number | null | undefined;

/** One result row, column name → value. */
export type Row = Record<string, SqlValue>;

/**
 * The few calls the store parts make. sql.js is synchronous and in-process, so every method of
 * the store runs its statements without another call interleaving: that is what makes a
 * read-check-write (claim a key, advance a status) atomic here. A server database would need a
 * transaction or a conditional `UPDATE … WHERE` for each of them instead.
 */
export interface Database {
  /** Every row of a query. */
  all(sql: string, params?: readonly Param[]): Row[];
  /** The first row of a query, or `undefined`. */
  get(sql: string, params?: readonly Param[]): Row | undefined;
  /** Runs a statement; returns how many rows it changed. */
  run(sql: string, params?: readonly Param[]): number;
  /** Runs `work` in one transaction: all of its writes are kept, or none (it threw). */
  transaction<T>(work: () => T): T;
  close(): void;
}

// The wasm module is loaded once per process; each store opens its own in-memory database.
let sqlJs: ReturnType<typeof initSqlJs> | undefined;

function bind(params: readonly Param[]): SqlValue[] {
  return params.map((value) => (value === undefined ? null : value));
}

/**
 * Opens an in-memory SQLite database with the store's schema. Errors from SQLite become a
 * `StoreError`: not retryable, because an in-process database fails the same way the second time
 * (a server store marks connection errors and serialisation failures retryable instead).
 */
export async function openDatabase(): Promise<Database> {
  sqlJs ??= initSqlJs();
  const db: SqlJsDatabase = new (await sqlJs).Database();
  db.exec(SCHEMA);

  let closed = false;

  function guarded<T>(sql: string, work: () => T): T {
    // A call after close() is the caller's bug, said plainly rather than as a SQLite error.
    if (closed) throw new StoreError('SQLite store: closed', { code: 'store_closed' });
    try {
      return work();
    } catch (error) {
      throw new StoreError(`SQLite failed: ${(error as Error).message} (${sql.slice(0, 60)})`, {
        code: 'sqlite_failed',
        cause: error,
      });
    }
  }

  function all(sql: string, params: readonly Param[] = []): Row[] {
    return guarded(sql, () => {
      const statement = db.prepare(sql);
      try {
        statement.bind(bind(params));
        const rows: Row[] = [];
        while (statement.step()) rows.push(statement.getAsObject());
        return rows;
      } finally {
        statement.free();
      }
    });
  }

  let depth = 0;
  return {
    all,
    get: (sql, params) => all(sql, params)[0],
    run(sql, params = []) {
      return guarded(sql, () => {
        db.run(sql, bind(params));
        return db.getRowsModified();
      });
    },
    transaction(work) {
      // Nested calls (a merge inside an inbound record) join the outer transaction.
      if (depth > 0) return work();
      db.exec('BEGIN');
      depth += 1;
      try {
        const result = work();
        db.exec('COMMIT');
        return result;
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      } finally {
        depth -= 1;
      }
    },
    close() {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}
