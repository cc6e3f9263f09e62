import type { Clock, Logger } from '@threadline/core';
import { z } from 'zod';

/** The key prefix by default: every key the store writes starts with it. */
export const DEFAULT_KEY_PREFIX = 'threadline:';

/** How long the first connect waits by default before a command fails with a retryable error. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

/** Options of {@link createRedisStore}. */
export interface RedisStoreOptions {
  /** The server: `redis://[[user]:password@]host[:port][/db]` or `rediss://…` for TLS. Default: `REDIS_URL`, else `redis://127.0.0.1:6379`. */
  url?: string;
  /**
   * Starts every key (default `threadline:`), so one Redis can hold several apps or test runs.
   * No `{` or `}`: the store places the hash tags itself.
   */
  keyPrefix?: string;
  /**
   * Pub/sub flavour: `auto` (default) uses sharded pub/sub (`SPUBLISH`/`SSUBSCRIBE`) on Redis 7
   * and later, classic `PUBLISH`/`SUBSCRIBE` before; `sharded` or `classic` force one.
   */
  pubsub?: 'auto' | 'sharded' | 'classic';
  /** How long a connect may take before a command fails with a retryable `StoreError`. Default 5 000 ms. */
  connectTimeoutMs?: number;
  /**
   * Check at start whether Redis persists anything (`CONFIG GET appendonly`/`save`) and warn
   * through `logger` when it does not. Default `true`.
   */
  checkPersistence?: boolean;
  /** The source of "now" for TTLs, leases, due times and timestamps. Default: the system clock. */
  clock?: Clock;
  /** Makes ids for users, threads, deliveries and held messages. Default `crypto.randomUUID`. */
  generateId?: () => string;
  /** Where the persistence warning and connection losses are reported. Default: `console`. */
  logger?: Logger;
}

function isObjectWith(...methods: string[]) {
  return (value: unknown) =>
    typeof value === 'object' &&
    value !== null &&
    methods.every((method) => typeof (value as Record<string, unknown>)[method] === 'function');
}

/** The zod schema of {@link RedisStoreOptions}. Unknown keys are refused, so a misspelt option fails loudly. */
export const RedisStoreOptionsSchema = z.strictObject({
  url: z
    .string()
    .regex(/^rediss?:\/\//, { error: 'expected a redis:// or rediss:// URL' })
    .optional(),
  keyPrefix: z
    .string()
    .regex(/^[^{}]*$/, { error: 'must not contain { or } (the store places the hash tags)' })
    .optional(),
  pubsub: z.enum(['auto', 'sharded', 'classic']).optional(),
  connectTimeoutMs: z.number().int().positive().optional(),
  checkPersistence: z.boolean().optional(),
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
  logger: z
    .custom<Logger>(isObjectWith('debug', 'info', 'warn', 'error'), {
      error: 'expected a logger with debug, info, warn and error methods',
    })
    .optional(),
});
