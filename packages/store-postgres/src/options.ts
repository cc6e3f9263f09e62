import type { Clock, Logger } from '@threadline/core';
import type { Pool } from 'pg';
import { z } from 'zod';
import type { PGliteInstance } from './driver/pglite';
import { IDENTIFIER_PATTERN, LONGEST_SUFFIX, MAX_IDENTIFIER_LENGTH } from './names';

/** Days of delivery history `cleanup()` keeps by default: a month covers a billing dispute. */
export const DEFAULT_DELIVERY_EVENT_RETENTION_DAYS = 30;

/** Connections in the store's own pool by default (node-postgres's own default, too). */
export const DEFAULT_POOL_SIZE = 10;

/** How long to wait for a connection before failing with a retryable `StoreError`. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/** What `cleanup()` keeps. */
export interface RetentionOptions {
  /**
   * Delivery events (the status history) older than this many days are deleted by `cleanup()`;
   * each delivery keeps its latest event, and its status and fields are never touched.
   * Default 30.
   */
  deliveryEventsDays?: number;
}

/** Options of {@link createPostgresStore}. Give exactly one of the four connection options. */
export interface PostgresStoreOptions {
  /** A server's URL: `postgres://user:password@host:5432/db`. The store makes and ends its own pool. */
  connectionString?: string;
  /** Your own node-postgres pool (TLS, IAM auth, …). The store never ends it; `close()` leaves it open. */
  pool?: Pool;
  /** Your own PGlite instance. The store never closes it. */
  pglite?: PGliteInstance;
  /**
   * A PGlite data directory (`./.threadline/db`), or `memory://` for an in-memory database: the
   * embedded engine, no server. Needs the optional peer `@electric-sql/pglite` installed.
   */
  dataDir?: string;
  /** The schema that holds the tables. Created by `migrate()` if missing. Default `public`. */
  schema?: string;
  /** Prepended to every table, index and function name. Default `threadline_`. */
  tablePrefix?: string;
  /**
   * Apply pending migrations on first use (default `true`). With `false` call `store.migrate()`
   * yourself, e.g. from a release step, before the store is used.
   */
  migrate?: boolean;
  /** The source of "now" for TTLs, leases, due times and timestamps. Default: the system clock. */
  clock?: Clock;
  /** Makes ids for users, threads, deliveries and held messages. Default `crypto.randomUUID`. */
  generateId?: () => string;
  /** What `cleanup()` deletes. */
  retention?: RetentionOptions;
  /** Connections in the store's own pool (only with `connectionString`). Default 10. */
  poolSize?: number;
  /** `application_name` of the store's own connections, as `pg_stat_activity` shows it. Default `threadline`. */
  applicationName?: string;
  /** How long to wait for a connection (only with `connectionString`). Default 10 000 ms. */
  connectTimeoutMs?: number;
  /**
   * Run the store's statements as named prepared statements, parsed and planned once per
   * connection (`connectionString` or `pool`). Default `true`. Set `false` behind a pooler that
   * hands one client's statements to different server connections without tracking prepared
   * statements (PgBouncer in transaction mode before 1.21, or without `max_prepared_statements`).
   */
  preparedStatements?: boolean;
  /** Where reconnects and dropped connections are reported. Default: silent. */
  logger?: Logger;
}

function isObjectWith(...methods: string[]) {
  return (value: unknown) =>
    typeof value === 'object' &&
    value !== null &&
    methods.every((method) => typeof (value as Record<string, unknown>)[method] === 'function');
}

const identifier = (what: string, maxLength: number) =>
  z
    .string()
    .regex(IDENTIFIER_PATTERN, {
      error: `expected a lower-case ${what}: letters, digits and _, not starting with a digit`,
    })
    .max(maxLength);

/**
 * The zod schema of {@link PostgresStoreOptions}. `z.custom` keeps the caller's own objects (a
 * pool, a PGlite instance, a class-based clock) as they are. Unknown keys are refused, so a
 * misspelt option fails loudly instead of being ignored.
 */
export const PostgresStoreOptionsSchema = z
  .strictObject({
    connectionString: z.string().min(1).optional(),
    pool: z
      .custom<Pool>(isObjectWith('query', 'connect', 'end'), {
        error: 'expected a pg.Pool (node-postgres)',
      })
      .optional(),
    pglite: z
      .custom<PGliteInstance>(isObjectWith('query', 'exec', 'transaction', 'listen'), {
        error: 'expected a PGlite instance',
      })
      .optional(),
    dataDir: z.string().min(1).optional(),
    schema: identifier('schema name', MAX_IDENTIFIER_LENGTH).optional(),
    tablePrefix: z
      .string()
      .regex(/^([a-z_][a-z0-9_]*)?$/, {
        error: 'expected lower-case letters, digits and _, not starting with a digit',
      })
      .max(MAX_IDENTIFIER_LENGTH - LONGEST_SUFFIX)
      .optional(),
    migrate: z.boolean().optional(),
    clock: z
      .custom<Clock>(isObjectWith('now'), {
        error: 'expected a clock: an object with a now() method',
      })
      .optional(),
    generateId: z
      .custom<() => string>((value) => typeof value === 'function', {
        error: 'expected a function that returns a new id',
      })
      .optional(),
    retention: z.strictObject({ deliveryEventsDays: z.number().positive().optional() }).optional(),
    poolSize: z.number().int().min(1).optional(),
    applicationName: z.string().max(MAX_IDENTIFIER_LENGTH).optional(),
    connectTimeoutMs: z.number().int().positive().optional(),
    preparedStatements: z.boolean().optional(),
    logger: z
      .custom<Logger>(isObjectWith('debug', 'info', 'warn', 'error'), {
        error: 'expected a logger with debug, info, warn and error methods',
      })
      .optional(),
  })
  .superRefine((options, context) => {
    const given = (['connectionString', 'pool', 'pglite', 'dataDir'] as const).filter(
      (key) => options[key] !== undefined,
    );
    if (given.length > 1) {
      context.addIssue({
        code: 'custom',
        path: [given[1] ?? 'connectionString'],
        message: `give one of connectionString, pool, pglite or dataDir, not ${given.join(' and ')}`,
      });
    }
    // These shape the pool the store makes; with your own pool or PGlite they would do nothing.
    if (options.connectionString === undefined) {
      for (const key of ['poolSize', 'applicationName', 'connectTimeoutMs'] as const) {
        if (options[key] === undefined || given.length === 0) continue;
        context.addIssue({
          code: 'custom',
          path: [key],
          message: `only applies with connectionString (configure your own pool or PGlite instead)`,
        });
      }
    }
  });
