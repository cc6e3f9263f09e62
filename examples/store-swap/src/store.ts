import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ThreadStore } from '@threadline/core';
import { createMemoryStore } from '@threadline/store-memory';
import { createPostgresStore } from '@threadline/store-postgres';
import { createRedisStore } from '@threadline/store-redis';

/** The one setting: which store the app runs on. */
export const STORE_KINDS = ['memory', 'pglite', 'postgres', 'redis'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

/** The environment variable that chooses the store. */
export const STORE_SETTING = 'THREADLINE_STORE';

/** Where PGlite keeps its files unless `PGLITE_DATA_DIR` says otherwise. */
export const DEFAULT_PGLITE_DIR = fileURLToPath(new URL('../.threadline/pglite', import.meta.url));

/** The server the `postgres` store uses unless `DATABASE_URL` says otherwise. */
export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

/**
 * The schema of the `postgres` store's tables unless told otherwise: its own, so the example never
 * touches tables another app keeps in `public` of the same database.
 */
export const DEFAULT_SCHEMA = 'store_swap';

/** The `redis` store's key prefix unless told otherwise: its keys never meet another app's. */
export const DEFAULT_KEY_PREFIX = 'store-swap:';

/** Where each store keeps its data, beyond the one setting (all optional). */
export interface StoreLocation {
  /** PGlite's data directory, or `memory://`. */
  dataDir?: string;
  /** The PostgreSQL server. */
  databaseUrl?: string;
  /** The PostgreSQL schema of the tables (created if missing). Default `store_swap`. */
  schema?: string;
  /** The Redis server (default: `REDIS_URL`, else `redis://127.0.0.1:6379`). */
  redisUrl?: string;
  /** The Redis key prefix. Default `store-swap:`. */
  keyPrefix?: string;
}

/**
 * Reads `THREADLINE_STORE` (default `redis` when `REDIS_URL` is set, else `memory`); anything
 * else is an error naming the choices.
 */
export function storeKindFrom(env: Record<string, string | undefined> = process.env): StoreKind {
  const value = env[STORE_SETTING] ?? (env.REDIS_URL ? 'redis' : 'memory');
  if ((STORE_KINDS as readonly string[]).includes(value)) return value as StoreKind;
  throw new Error(`${STORE_SETTING}=${value}: expected one of ${STORE_KINDS.join(', ')}`);
}

/**
 * The only place the app says which store it runs on. Every store implements the same
 * `ThreadStore` contract and passes the same conformance suite, so nothing else changes:
 *
 * - `memory`: in the process, gone when it exits (tests, demos);
 * - `pglite`: PostgreSQL compiled to WebAssembly, in the process, kept in a directory (a laptop,
 *   a single small server); needs `@electric-sql/pglite` installed;
 * - `postgres`: a PostgreSQL server (production: many instances, one database);
 * - `redis`: a Redis server (many instances; durable only with AOF on, see its README).
 *
 * PGlite and PostgreSQL run the same store code and the same SQL.
 */
export function createStore(kind: StoreKind, location: StoreLocation = {}): ThreadStore {
  switch (kind) {
    case 'memory':
      return createMemoryStore();
    case 'pglite': {
      const dataDir = location.dataDir ?? DEFAULT_PGLITE_DIR;
      // PGlite creates the last directory of the path only.
      if (!dataDir.startsWith('memory://')) mkdirSync(dirname(dataDir), { recursive: true });
      return createPostgresStore({ dataDir });
    }
    case 'postgres':
      return createPostgresStore({
        connectionString: location.databaseUrl ?? DEFAULT_DATABASE_URL,
        schema: location.schema ?? DEFAULT_SCHEMA,
      });
    case 'redis':
      return createRedisStore({
        ...(location.redisUrl === undefined ? {} : { url: location.redisUrl }),
        keyPrefix: location.keyPrefix ?? DEFAULT_KEY_PREFIX,
      });
  }
}
