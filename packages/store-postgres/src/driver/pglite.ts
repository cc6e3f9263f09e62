import type { Driver, Queryable } from './driver';

/** The part of a PGlite transaction the driver uses. */
export interface PGliteTransaction {
  query<Row>(text: string, params?: unknown[]): Promise<{ rows: Row[] }>;
  exec(text: string): Promise<unknown>;
}

/**
 * The part of a PGlite instance (`@electric-sql/pglite`) the store uses. Declared here rather than
 * imported, so the published types do not require PGlite, an optional peer dependency.
 */
export interface PGliteInstance extends PGliteTransaction {
  transaction<T>(callback: (tx: PGliteTransaction) => Promise<T>): Promise<T>;
  listen(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
  readonly closed: boolean;
}

/**
 * A {@link Driver} over a PGlite instance: Postgres compiled to WebAssembly, in this process, with
 * a data directory (or in memory) and no server. PGlite has a single connection and queues every
 * query and transaction behind the one running, so row locks never contend here and
 * `FOR UPDATE SKIP LOCKED` simply finds nothing locked; the SQL stays the same as on a server.
 * LISTEN/NOTIFY works within the process.
 *
 * @example
 * ```ts
 * const driver = createPGliteDriver({ db: await PGlite.create('./.threadline/db'), ownsInstance: true });
 * ```
 */
export function createPGliteDriver(input: { db: PGliteInstance; ownsInstance: boolean }): Driver {
  const { db } = input;
  const wrap = (handle: PGliteTransaction): Queryable => ({
    async query<Row>(text: string, params?: readonly unknown[]) {
      const result = await handle.query<Row>(text, params as unknown[] | undefined);
      return result.rows;
    },
    async exec(text) {
      await handle.exec(text);
    },
  });
  const direct = wrap(db);

  return {
    kind: 'pglite',
    query: direct.query,
    exec: direct.exec,
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
    async listen(channel, onPayload) {
      const stop = await db.listen(channel, onPayload);
      return async () => {
        await stop();
      };
    },
    async close() {
      if (input.ownsInstance && !db.closed) await db.close();
    },
  };
}
