export type { PGliteInstance, PGliteTransaction } from './driver/pglite';
export type { MigrationReport } from './migrations/index';
export {
  DEFAULT_DELIVERY_EVENT_RETENTION_DAYS,
  type PostgresStoreOptions,
  PostgresStoreOptionsSchema,
  type RetentionOptions,
} from './options';
export { type CleanupReport, PUBSUB_OVERFLOW_RETENTION_MS } from './retention';
export { createPostgresStore, type PostgresStore } from './store';
