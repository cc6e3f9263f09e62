import { checkDuration, type DedupeStore } from '@threadline/core';
import { defineScript } from './connection';
import type { RedisContext } from './context';

/**
 * KEYS: the claim. ARGV: now, ttl (ms), the value to store ('': the expiry, from `dedupe.claim`;
 * `inbound.record` stores `<expiry>:i:<token>`). The key holds when the claim expires by the store's clock
 * (which tests move by hand); Redis's own expiry, set to the same TTL, only frees memory. Answers
 * 1 (claimed), 0 (live), or 2 (live, taken by `inbound.record`: the user's slot decides).
 */
export const CLAIM = defineScript(
  'dedupe-claim',
  `local held = redis.call('GET', KEYS[1])
if held and tonumber(string.match(held, '^[^:]+')) > tonumber(ARGV[1]) then
  if string.find(held, ':i:', 1, true) then return 2 end
  return 0
end
local value = ARGV[3]
if value == '' then value = tonumber(ARGV[1]) + tonumber(ARGV[2]) end
redis.call('SET', KEYS[1], value, 'PX', ARGV[2])
return 1`,
);

/** KEYS: the claim. ARGV: the value it was claimed with. Gives back a claim only if still ours. */
export const RELEASE_OWN = defineScript(
  'dedupe-release-own',
  `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`,
);

/**
 * KEYS: the claim. ARGV: now, ttl (ms). Moves a live claim's expiry to now + ttl, keeping what
 * follows the expiry in the value (`inbound.record`'s `:i:<token>`). Answers 1, or 0 when the
 * claim is absent or expired (by the store's clock).
 */
export const EXTEND = defineScript(
  'dedupe-extend',
  `local held = redis.call('GET', KEYS[1])
if not held then return 0 end
local expiry = string.match(held, '^[^:]+')
if tonumber(expiry) <= tonumber(ARGV[1]) then return 0 end
local value = string.format('%d', tonumber(ARGV[1]) + tonumber(ARGV[2])) .. string.sub(held, #expiry + 1)
redis.call('SET', KEYS[1], value, 'PX', ARGV[2])
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
        [String(ctx.clock.now()), String(Math.ceil(ttlMs)), ''],
      );
      return reply === 1;
    },

    async release(key) {
      await ctx.conn.command('dedupe.release', ['DEL', ctx.keys.dedupe(key)]);
    },

    async extend(key, ttlMs) {
      checkDuration(ttlMs, 'ttlMs');
      const reply = await ctx.conn.run(
        'dedupe.extend',
        EXTEND,
        [ctx.keys.dedupe(key)],
        [String(ctx.clock.now()), String(Math.ceil(ttlMs))],
      );
      return reply === 1;
    },
  };
}
