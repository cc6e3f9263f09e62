import { mkdir } from 'node:fs/promises';
import {
  ConfigError,
  type DeadLetterStore,
  type InboundLog,
  type OutboundLookup,
  type PubSub,
  parseOptions,
  type StoreHealthCheck,
  silentLogger,
  systemClock,
  type ThreadStore,
  type TurnStore,
} from '@threadline/core';
import pg from 'pg';
import { createConsentStore } from './consent';
import { createDatabase } from './database';
import { createDeadLetterStore } from './dead-letters';
import { createDedupeStore } from './dedupe';
import { createDeliveryStore } from './deliveries';
import type { Driver } from './driver/driver';
import { createNodePostgresDriver } from './driver/node-postgres';
import { createPGliteDriver } from './driver/pglite';
import { checkHealth } from './health';
import { createHeldMessageStore } from './held';
import { createIdentityStore } from './identities';
import { createInboundLog } from './inbound';
import { createInboundBatches } from './inbound-batch';
import { createJobStore } from './jobs';
import { createLeaseStore } from './leases';
import type { MigrationReport } from './migrations/index';
import { createNames } from './names';
import {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_DELIVERY_EVENT_RETENTION_DAYS,
  DEFAULT_POOL_SIZE,
  type PostgresStoreOptions,
  PostgresStoreOptionsSchema,
} from './options';
import { createOutboundLookup } from './outbound';
import { createPrivacyStore } from './privacy';
import { createPostgresPubSub } from './pubsub';
import { type CleanupReport, cleanup } from './retention';
import { createThreadLog } from './threads';
import { createTurnStore } from './turns';
import { createUserStore } from './users';

const FACTORY = 'createPostgresStore';

/** A Postgres store: a {@link ThreadStore} with LISTEN/NOTIFY pub/sub, migrations and clean-up. */
export interface PostgresStore extends ThreadStore {
  pubsub: PubSub;
  inbound: InboundLog;
  outbound: OutboundLookup;
  deadLetters: DeadLetterStore;
  turns: TurnStore;
  /**
   * Applies pending migrations (under an advisory lock: safe from every instance at once) and
   * reports what it applied. With `migrate: true` (the default) the first call to the store does
   * this by itself.
   */
  migrate(): Promise<MigrationReport>;
  /** Readiness: the server answers and the schema is at the version this code needs. */
  health: StoreHealthCheck;
  /**
   * Deletes expired dedupe keys and leases, delivery history older than the retention, and old
   * pub/sub overflow rows. `now` defaults to the store's clock. Run it from a scheduled job.
   */
  cleanup(input?: { now?: Date }): Promise<CleanupReport>;
}

/** Opens the engine the options name: a PGlite instance or data directory, or a pool. */
function driverOpener(options: PostgresStoreOptions): () => Promise<Driver> {
  const logger = options.logger ?? silentLogger;
  const preparedStatements = options.preparedStatements ?? true;
  if (options.pglite !== undefined) {
    const db = options.pglite;
    return async () => createPGliteDriver({ db, ownsInstance: false });
  }
  if (options.dataDir !== undefined) {
    const dataDir = options.dataDir;
    return async () => {
      // Imported only here: PGlite is an optional peer dependency a server deployment skips.
      const module = await import('@electric-sql/pglite').catch((error: unknown) => {
        throw new ConfigError(
          FACTORY,
          [
            {
              path: 'dataDir',
              message: 'needs @electric-sql/pglite: pnpm add @electric-sql/pglite',
            },
          ],
          error,
        );
      });
      // PGlite creates only the last directory of the path; a fresh checkout has none of them.
      if (!/^[a-z]+:\/\//i.test(dataDir)) await mkdir(dataDir, { recursive: true });
      return createPGliteDriver({ db: await module.PGlite.create(dataDir), ownsInstance: true });
    };
  }
  if (options.pool !== undefined) {
    const pool = options.pool;
    return async () =>
      createNodePostgresDriver({ pool, ownsPool: false, logger, preparedStatements });
  }
  const connectionString = options.connectionString ?? process.env.DATABASE_URL;
  if (connectionString === undefined) {
    throw new ConfigError(FACTORY, [
      {
        path: 'connectionString',
        message: 'give connectionString, pool, pglite or dataDir (or set DATABASE_URL)',
      },
    ]);
  }
  return async () => {
    const pool = new pg.Pool({
      connectionString,
      max: options.poolSize ?? DEFAULT_POOL_SIZE,
      application_name: options.applicationName ?? 'threadline',
      connectionTimeoutMillis: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    });
    // An idle connection that drops (a restart, a failover) is an 'error' event on the pool; the
    // pool discards the connection and the next query opens a fresh one. Unheard, the event
    // would crash the process.
    pool.on('error', (error) => {
      logger.warn({ error: error.message }, 'postgres store: idle connection lost');
    });
    return createNodePostgresDriver({ pool, ownsPool: true, logger, preparedStatements });
  };
}

/**
 * A {@link ThreadStore} on PostgreSQL: node-postgres against a server for production (many
 * instances, one database), or PGlite in-process for a laptop or a demo (a data directory, no
 * server). The same SQL runs on both. Tables live in `schema` (default `public`) with names
 * starting `tablePrefix` (default `threadline_`); they are created or brought up to date on
 * first use, or by `store.migrate()` with `migrate: false`.
 *
 * @throws ConfigError when an option is invalid; the message names it.
 * @example
 * ```ts
 * import { createPostgresStore } from '@threadline/store-postgres';
 *
 * const store = createPostgresStore({ connectionString: process.env.DATABASE_URL });
 * // or, with no server: createPostgresStore({ dataDir: './.threadline/db' })
 * const { user } = await store.identities.resolve({ channel: 'sms', address: '+447700900123', kind: 'phone' });
 * const thread = await store.threads.ensure({ userId: user.id, agentId: 'support' });
 * await store.threads.append(thread.id, { direction: 'inbound', at: new Date(), text: 'hi', channel: 'sms' });
 * await store.close();
 * ```
 */
export function createPostgresStore(options?: PostgresStoreOptions): PostgresStore {
  parseOptions(PostgresStoreOptionsSchema, options, FACTORY);
  const given = options ?? {};
  // The schema only checks: the caller's own objects (pool, PGlite, clock) are used as given.
  const db = createDatabase({
    openDriver: driverOpener(given),
    names: createNames(given.schema ?? 'public', given.tablePrefix ?? 'threadline_'),
    clock: given.clock ?? systemClock,
    generateId: given.generateId ?? (() => crypto.randomUUID()),
    autoMigrate: given.migrate ?? true,
  });
  const pubsub = createPostgresPubSub(db);
  const deliveryEventsDays =
    given.retention?.deliveryEventsDays ?? DEFAULT_DELIVERY_EVENT_RETENTION_DAYS;

  const identities = createIdentityStore(db);
  const inbound = createInboundLog(db);

  return {
    users: createUserStore(db),
    identities,
    threads: createThreadLog(db),
    dedupe: createDedupeStore(db),
    inbound: { ...inbound, ...createInboundBatches(db, inbound.record) },
    outbound: createOutboundLookup(db, identities),
    deadLetters: createDeadLetterStore(db),
    deliveries: createDeliveryStore(db),
    held: createHeldMessageStore(db),
    consent: createConsentStore(db),
    leases: createLeaseStore(db),
    jobs: createJobStore(db),
    turns: createTurnStore(db),
    privacy: createPrivacyStore(db),
    pubsub: { publish: pubsub.publish, subscribe: pubsub.subscribe },
    migrate: () => db.migrate(),
    health: () => checkHealth(db),
    cleanup: (input) => cleanup(db, { now: input?.now ?? db.now(), deliveryEventsDays }),
    async close() {
      await pubsub.close();
      await db.close();
    },
  };
}
