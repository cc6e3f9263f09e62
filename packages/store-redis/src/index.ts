export {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_KEY_PREFIX,
  type RedisStoreOptions,
  RedisStoreOptionsSchema,
} from './options';
export type { PersistenceReport } from './persistence';
export { SHARDED_PUBSUB_SINCE } from './pubsub';
export { createRedisStore, DEFAULT_REDIS_URL, type RedisStore } from './store';
