/** Something that runs SQL: the whole database, or one transaction. */
export interface Queryable {
  /** Runs one statement with `$1…` parameters and returns its rows. */
  query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(text: string): Promise<void>;
}

/** Stops a LISTEN registration. */
export type StopListening = () => Promise<void>;

/**
 * The seam between the store and an engine: node-postgres (a pool of connections to a server) or
 * PGlite (one embedded connection). The store speaks only this, so the same SQL runs on both.
 */
export interface Driver extends Queryable {
  /** Which engine, for messages and tests. */
  readonly kind: 'node-postgres' | 'pglite';
  /**
   * Runs `fn` in one transaction (READ COMMITTED, like every Postgres default): committed when it
   * resolves, rolled back when it throws. PGlite has one connection, so there they run one by one.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Calls `onPayload` for each NOTIFY on `channel` (a plain lower-case identifier). On a server the
   * registration survives a dropped connection: the driver reconnects and listens again.
   */
  listen(channel: string, onPayload: (payload: string) => void): Promise<StopListening>;
  /** Releases what the driver opened (its own pool or PGlite instance; never one it was given). */
  close(): Promise<void>;
}
