import { checkDuration, type LeaseStore } from '@threadline/core';
import { defineScript } from './connection';
import { type RedisContext, toDate, toRecord } from './context';

/**
 * How long Redis keeps a lease key after its expiry by the store's clock, only to free memory:
 * the `expires` field decides, so a clock that runs apart from Redis's never ends a lease early.
 */
const LEASE_KEY_GRACE_MS = 60 * 60_000;

/** KEYS: lease. ARGV: owner, now, ttl, grace, mode ('acquire' takes a free one too, 'renew' not). */
const GRANT = defineScript(
  'lease-grant',
  `local owner = redis.call('HGET', KEYS[1], 'owner')
local expires = tonumber(redis.call('HGET', KEYS[1], 'expires') or '0')
local live = owner and expires > tonumber(ARGV[2])
if live and owner ~= ARGV[1] then return 0 end
if ARGV[5] == 'renew' and not live then return 0 end
redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'expires', tonumber(ARGV[2]) + tonumber(ARGV[3]))
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]) + tonumber(ARGV[4]))
return 1`,
);

/** KEYS: lease. ARGV: owner, now. Deletes it when `owner` holds it and it has not expired. */
const RELEASE = defineScript(
  'lease-release',
  `if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then return 0 end
local live = tonumber(redis.call('HGET', KEYS[1], 'expires') or '0') > tonumber(ARGV[2])
redis.call('DEL', KEYS[1])
if live then return 1 end
return 0`,
);

/**
 * Named, expiring locks: one hash per lease (owner, expiry by the store's clock), changed only by
 * scripts, so a take-over and a renewal can never interleave.
 *
 * @example
 * ```ts
 * if (await store.leases.acquire({ key: `turn:${threadId}`, owner: instanceId, ttlMs: 30_000 })) { … }
 * ```
 */
export function createLeaseStore(ctx: RedisContext): LeaseStore {
  async function grant(
    mode: 'acquire' | 'renew',
    input: { key: string; owner: string; ttlMs: number },
  ): Promise<boolean> {
    checkDuration(input.ttlMs, 'ttlMs');
    const reply = await ctx.conn.run(
      `leases.${mode}`,
      GRANT,
      [ctx.keys.lease(input.key)],
      [
        input.owner,
        String(ctx.clock.now()),
        String(Math.ceil(input.ttlMs)),
        String(LEASE_KEY_GRACE_MS),
        mode,
      ],
    );
    return reply === 1;
  }

  return {
    acquire: (input) => grant('acquire', input),
    renew: (input) => grant('renew', input),

    async release({ key, owner }) {
      const reply = await ctx.conn.run(
        'leases.release',
        RELEASE,
        [ctx.keys.lease(key)],
        [owner, String(ctx.clock.now())],
      );
      return reply === 1;
    },

    async holder(key) {
      const record = toRecord(
        await ctx.conn.command('leases.holder', ['HGETALL', ctx.keys.lease(key)]),
      );
      if (record?.owner === undefined || Number(record.expires) <= ctx.clock.now()) return null;
      return { owner: record.owner, expiresAt: toDate(record.expires ?? '0') };
    },
  };
}
