import { checkDuration, type DedupeStore } from '@threadline/core';
import { defineScript } from './connection';
import type { RedisContext } from './context';

/**
 * KEYS: the claim. ARGV: now, ttl (ms). The key holds when the claim expires by the store's
 * clock (which tests move by hand); Redis's own expiry, set to the same TTL, only frees memory.
 */
const CLAIM = defineScript(
  'dedupe-claim',
  `local expires = redis.call('GET', KEYS[1])
if expires and tonumber(expires) > tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], tonumber(ARGV[1]) + tonumber(ARGV[2]), 'PX', ARGV[2])
return 1`,
);

/**
 * Inbound dedupe: one key per claim, so Cluster spreads them and a claim is a single-key script
 * (exactly one of any number of concurrent claims sees the key absent).
 *
 * @example
 * ```ts
 * if (await store.dedupe.claim(`whatsapp:${messageId}`, 10 * 60_000)) await record(message);
 * ```
 */
export function createDedupeStore(ctx: RedisContext): DedupeStore {
  return {
    async claim(key, ttlMs) {
      checkDuration(ttlMs, 'ttlMs');
      const reply = await ctx.conn.run(
        'dedupe.claim',
        CLAIM,
        [ctx.keys.dedupe(key)],
        [String(ctx.clock.now()), String(Math.ceil(ttlMs))],
      );
      return reply === 1;
    },

    async release(key) {
      await ctx.conn.command('dedupe.release', ['DEL', ctx.keys.dedupe(key)]);
    },
  };
}
