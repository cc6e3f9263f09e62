import {
  type Logger,
  type PubSub,
  parseOptions,
  silentLogger,
  systemClock,
  type ThreadStore,
  type TurnStore,
} from '@threadline/core';
import { openConnection } from './connection';
import { createConsentStore } from './consent';
import type { RedisContext } from './context';
import { createDeadLetterStore } from './dead-letters';
import { createDedupeStore } from './dedupe';
import { createDeliveryStore } from './deliveries';
import { checkHealth } from './health';
import { createHeldMessageStore } from './held';
import { createIdentityStore } from './identities';
import { createInboundLog } from './inbound';
import { createJobStore } from './jobs';
import { createKeys } from './keys';
import { createLeaseStore } from './leases';
import {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_KEY_PREFIX,
  type RedisStoreOptions,
  RedisStoreOptionsSchema,
} from './options';
import { createOutboundLookup } from './outbound';
import { type PersistenceReport, warnWithoutPersistence } from './persistence';
import { createPrivacyStore } from './privacy';
import { createRedisPubSub } from './pubsub';
import { createThreadLog } from './threads';
import { createTurnStore } from './turns';
import { createUserStore } from './users';

const FACTORY = 'createRedisStore';

/** The server used when neither `url` nor `REDIS_URL` is set. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** A Redis store: a {@link ThreadStore} with Redis pub/sub. */
export interface RedisStore extends ThreadStore {
  pubsub: PubSub;
  turns: TurnStore;
  /**
   * Settles once the start-up check of the server's persistence has run (and warned, if it is
   * off); `null` when the check was skipped or `CONFIG` is disabled on the server.
   */
  persistence: Promise<PersistenceReport | null>;
}

/** Where the persistence warning goes when no logger was given: it must not be silent. */
const consoleWarn: Pick<Logger, 'warn'> = {
  warn: (fields, message) => console.warn(message ?? '', fields),
};

/**
 * A {@link ThreadStore} on Redis (node-redis): every multi-key step is one Lua script, keys are
 * laid out for Redis Cluster (one user's data under one hash tag), the outbox is a pair of sorted
 * sets (due, in flight) claimed under leases, and pub/sub is native (sharded on Redis 7+). It
 * connects on first use and warns at start when Redis persists nothing.
 *
 * @throws ConfigError when an option is invalid; the message names it.
 * @example
 * ```ts
 * import { createRedisStore } from '@threadline/store-redis';
 *
 * const store = createRedisStore({ url: process.env.REDIS_URL, keyPrefix: 'myapp:' });
 * const { user } = await store.identities.resolve({ channel: 'sms', address: '+447700900123', kind: 'phone' });
 * const thread = await store.threads.ensure({ userId: user.id, agentId: 'support' });
 * await store.threads.append(thread.id, { direction: 'inbound', at: new Date(), text: 'hi', channel: 'sms' });
 * await store.close();
 * ```
 */
export function createRedisStore(options?: RedisStoreOptions): RedisStore {
  parseOptions(RedisStoreOptionsSchema, options, FACTORY);
  const given = options ?? {};
  const logger = given.logger ?? silentLogger;
  const conn = openConnection({
    url: given.url ?? process.env.REDIS_URL ?? DEFAULT_REDIS_URL,
    connectTimeoutMs: given.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    logger,
  });
  const ctx: RedisContext = {
    conn,
    keys: createKeys(given.keyPrefix ?? DEFAULT_KEY_PREFIX),
    clock: given.clock ?? systemClock,
    logger,
    generateId: given.generateId ?? (() => crypto.randomUUID()),
  };
  const pubsub = createRedisPubSub(ctx, given.pubsub ?? 'auto');
  // Started now, awaited by nobody: an unreachable server must not fail the factory, only the
  // first command (with a retryable error).
  const persistence =
    given.checkPersistence === false
      ? Promise.resolve(null)
      : warnWithoutPersistence(conn, given.logger ?? consoleWarn).catch(() => null);

  const identities = createIdentityStore(ctx);
  return {
    users: createUserStore(ctx),
    identities,
    inbound: createInboundLog(ctx, identities),
    outbound: createOutboundLookup(ctx, identities),
    deadLetters: createDeadLetterStore(ctx),
    health: () => checkHealth(conn),
    threads: createThreadLog(ctx),
    dedupe: createDedupeStore(ctx),
    deliveries: createDeliveryStore(ctx),
    held: createHeldMessageStore(ctx),
    consent: createConsentStore(ctx),
    leases: createLeaseStore(ctx),
    jobs: createJobStore(ctx),
    turns: createTurnStore(ctx),
    privacy: createPrivacyStore(ctx),
    pubsub: { publish: pubsub.publish, subscribe: pubsub.subscribe },
    persistence,
    async close() {
      await persistence;
      await pubsub.close();
      await conn.close();
    },
  };
}
