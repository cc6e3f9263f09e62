import { checkDuration, type DeliveryStore } from '@threadline/core';
import { defineScript } from './connection';
import type { RedisContext } from './context';
import { OUTBOX_LUA, outboxKeys } from './delivery-records';

/**
 * KEYS: due, inflight. ARGV: base, id, owner, new expiry. A lease that expired was perhaps moved
 * back to `due` by a claim sweep that did not take it (the owner's name stays until someone
 * does): the renewal puts it back in `inflight` under the new expiry. The holder's step: drops
 * `owe` (its thread entry is written; see `delivery-entries.ts`).
 */
const RENEW_LEASE = defineScript(
  'delivery-renew-lease',
  `${OUTBOX_LUA}local k = B .. 'd:' .. ARGV[2]
local f = redis.call('HMGET', k, 'lo', 'status', 'm')
if f[1] ~= ARGV[3] or f[2] ~= 'queued' then return 0 end
redis.call('HSET', k, 'le', ARGV[4])
redis.call('HDEL', k, 'owe')
redis.call('ZREM', KEYS[1], f[3])
redis.call('ZADD', KEYS[2], ARGV[4], f[3])
return 1`,
);

/** `deliveries.renewLease`, one script: a renewal and a claim never both win. */
export function createDeliveryLease(ctx: RedisContext): Pick<DeliveryStore, 'renewLease'> {
  const base = ctx.keys.outbox;
  const keys = outboxKeys(base);
  return {
    async renewLease({ id, owner, leaseMs }) {
      checkDuration(leaseMs, 'leaseMs');
      const reply = await ctx.conn.run('deliveries.renewLease', RENEW_LEASE, keys, [
        base,
        id,
        owner,
        String(ctx.clock.now() + Math.ceil(leaseMs)),
      ]);
      return reply === 1;
    },
  };
}
