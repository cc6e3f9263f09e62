/**
 * What a store says about itself to a readiness probe. `ok: false` means this instance should not
 * take traffic yet (the database is unreachable, the schema is behind the code).
 */
export interface StoreHealth {
  ok: boolean;
  /** One line for an operator: what is wrong, or what was checked. */
  detail: string;
}

/**
 * Optional part of a store: a cheap check that it is reachable and its schema is current. Stores
 * without it are probed with a one-row read instead.
 *
 * @example
 * ```ts
 * await store.health?.(); // { ok: true, detail: 'schema version 2 of 2' }
 * ```
 */
export type StoreHealthCheck = () => Promise<StoreHealth>;
