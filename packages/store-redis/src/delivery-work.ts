import {
  checkCount,
  checkDuration,
  type DeliveryStore,
  isTerminalStatus,
  NotFoundError,
} from '@threadline/core';
import { defineScript } from './connection';
import type { RedisContext } from './context';
import { COMPLETE, completeArguments } from './delivery-complete';
import { payClaimedEntries } from './delivery-entries';
import {
  allowedFrom,
  encodeEvent,
  encodeFailure,
  OUTBOX_LUA,
  outboxKeys,
  TERMINAL_STATUSES,
  toDelivery,
} from './delivery-records';

/**
 * KEYS: due, inflight. ARGV: base, now, owner, lease ms, limit. First every expired lease goes
 * back to `due` (at its next attempt time), then the oldest due are moved to `inflight` under
 * the new lease, each counting an attempt. The old owner's name stays on a taken-back delivery
 * until someone claims it, so a slow owner may still finish it (see the contract).
 */
const CLAIM_DUE = defineScript(
  'delivery-claim-due',
  `${OUTBOX_LUA}local now = tonumber(ARGV[2])
for _, m in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)) do
  local f = redis.call('HMGET', B .. 'd:' .. string.sub(m, 18), 'status', 'next')
  redis.call('ZREM', KEYS[2], m)
  if f[1] == 'queued' and f[2] and f[2] ~= '' then redis.call('ZADD', KEYS[1], f[2], m) end
end
local out = {}
local expires = now + tonumber(ARGV[4])
for _, m in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[5]))) do
  local id = string.sub(m, 18)
  local k = B .. 'd:' .. id
  redis.call('ZREM', KEYS[1], m)
  redis.call('HSET', k, 'lo', ARGV[3], 'le', expires, 'updated', now)
  redis.call('HINCRBY', k, 'attempts', 1)
  redis.call('ZADD', KEYS[2], expires, m)
  out[#out + 1] = read(id)
end
return out`,
);

/** ARGV: base, id, owner, next attempt (''), failure JSON (''), now. The holder's step: drops `owe`. */
const RESCHEDULE = defineScript(
  'delivery-reschedule',
  `${OUTBOX_LUA}local k = B .. 'd:' .. ARGV[2]
local f = redis.call('HMGET', k, 'lo', 'status', 'm')
if f[1] ~= ARGV[3] or f[2] ~= 'queued' then return false end
redis.call('HSET', k, 'next', ARGV[4], 'updated', ARGV[6])
if ARGV[5] ~= '' then redis.call('HSET', k, 'error', ARGV[5]) end
redis.call('HDEL', k, 'lo', 'le', 'owe')
unqueue(f[3])
if ARGV[4] ~= '' then redis.call('ZADD', B .. 'due', ARGV[4], f[3]) end
return read(ARGV[2])`,
);

/**
 * ARGV: base, id, owner (''), failure JSON, status, statuses it may move from, event, now. With
 * an owner (the holder's step) it drops `owe`; a policy failure keeps it, so a later `retry`
 * still pays the entry before anyone sends the delivery.
 */
const FAIL = defineScript(
  'delivery-fail',
  `${OUTBOX_LUA}local k = B .. 'd:' .. ARGV[2]
local f = redis.call('HMGET', k, 'lo', 'status', 'm')
if not f[2] then return false end
if ARGV[3] ~= '' and f[1] ~= ARGV[3] then return false end
if not allowed(f[2], ARGV[6]) then return false end
redis.call('HSET', k, 'status', ARGV[5], 'error', ARGV[4], 'next', '', 'updated', ARGV[8])
redis.call('HDEL', k, 'lo', 'le')
if ARGV[3] ~= '' then redis.call('HDEL', k, 'owe') end
redis.call('RPUSH', B .. 'ev:' .. ARGV[2], ARGV[7])
unqueue(f[3])
return read(ARGV[2])`,
);

/** ARGV: base, id, next attempt, now. A leased delivery keeps its lease and waits for it. */
const SCHEDULE = defineScript(
  'delivery-schedule',
  `${OUTBOX_LUA}local k = B .. 'd:' .. ARGV[2]
local f = redis.call('HMGET', k, 'status', 'm')
if f[1] ~= 'queued' then return false end
redis.call('HSET', k, 'next', ARGV[3], 'updated', ARGV[4])
if not redis.call('ZSCORE', B .. 'inflight', f[2]) then redis.call('ZADD', B .. 'due', ARGV[3], f[2]) end
return read(ARGV[2])`,
);

/**
 * ARGV: base, id, status, statuses it may move from, event, failure (''), pricing (''), now,
 * '1' when the status is terminal. Answers 'missing', or `{ changed, delivery }`.
 */
const UPDATE_STATUS = defineScript(
  'delivery-update-status',
  `${OUTBOX_LUA}local k = B .. 'd:' .. ARGV[2]
local f = redis.call('HMGET', k, 'status', 'm')
if not f[1] then return 'missing' end
if not allowed(f[1], ARGV[4]) then
  if ARGV[7] ~= '' then redis.call('HSET', k, 'pricing', ARGV[7], 'updated', ARGV[8]) end
  return { 0, read(ARGV[2]) }
end
redis.call('HSET', k, 'status', ARGV[3], 'updated', ARGV[8])
redis.call('RPUSH', B .. 'ev:' .. ARGV[2], ARGV[5])
if ARGV[6] ~= '' then redis.call('HSET', k, 'error', ARGV[6]) end
if ARGV[7] ~= '' then redis.call('HSET', k, 'pricing', ARGV[7]) end
if ARGV[9] == '1' then
  redis.call('HDEL', k, 'lo', 'le')
  redis.call('HSET', k, 'next', '')
end
if ARGV[3] ~= 'queued' then unqueue(f[2]) end
return { 1, read(ARGV[2]) }`,
);

/** ARGV: base, id, next attempt, now, event, the terminal statuses. */
const RETRY = defineScript(
  'delivery-retry',
  `${OUTBOX_LUA}local k = B .. 'd:' .. ARGV[2]
local f = redis.call('HMGET', k, 'status', 'm')
if not allowed(f[1], ARGV[6]) then return false end
redis.call('HSET', k, 'status', 'queued', 'next', ARGV[3], 'updated', ARGV[4])
redis.call('HDEL', k, 'lo', 'le')
redis.call('RPUSH', B .. 'ev:' .. ARGV[2], ARGV[5])
unqueue(f[2])
redis.call('ZADD', B .. 'due', ARGV[3], f[2])
return read(ARGV[2])`,
);

type Work = Pick<
  DeliveryStore,
  'claimDue' | 'complete' | 'reschedule' | 'fail' | 'schedule' | 'updateStatus' | 'retry'
>;

/**
 * The outbox's work steps (see {@link createDeliveryStore}): claims under a lease, and every
 * status move through core's `canAdvanceStatus` (given to each script as the statuses it may
 * move from), so Redis applies the same forward-only rule as every other store.
 */
export function createDeliveryWork(ctx: RedisContext): Work {
  const base = ctx.keys.outbox;
  const keys = outboxKeys(base);
  const now = () => String(ctx.clock.now());

  return {
    async claimDue({ owner, limit, leaseMs }) {
      checkCount(limit, 'limit', 'delivery query');
      checkDuration(leaseMs, 'leaseMs');
      const reply = await ctx.conn.run('deliveries.claimDue', CLAIM_DUE, keys, [
        base,
        now(),
        owner,
        String(Math.ceil(leaseMs)),
        String(limit),
      ]);
      // A delivery that still owes its thread entry gets it before it is handed out.
      return payClaimedEntries(ctx, reply);
    },

    async complete(id, input) {
      const args = completeArguments(id, input, now());
      return toDelivery(
        await ctx.conn.run('deliveries.complete', COMPLETE.one, keys, [base, ...args]),
      );
    },

    async reschedule(id, { owner, at, error }) {
      const reply = await ctx.conn.run('deliveries.reschedule', RESCHEDULE, keys, [
        base,
        id,
        owner,
        at === null ? '' : String(at.getTime()),
        encodeFailure(error),
        now(),
      ]);
      return toDelivery(reply);
    },

    async fail(id, { owner, error, at, status = 'failed' }) {
      const reply = await ctx.conn.run('deliveries.fail', FAIL, keys, [
        base,
        id,
        owner ?? '',
        JSON.stringify(error),
        status,
        allowedFrom(status),
        encodeEvent({
          status,
          at,
          source: owner === undefined ? 'policy' : 'dispatcher',
          detail: error.message,
        }),
        now(),
      ]);
      return toDelivery(reply);
    },

    async schedule(id, at) {
      const reply = await ctx.conn.run('deliveries.schedule', SCHEDULE, keys, [
        base,
        id,
        String(at.getTime()),
        now(),
      ]);
      return toDelivery(reply);
    },

    async updateStatus(id, input) {
      const event = { status: input.status, at: input.at, source: input.source };
      const reply = await ctx.conn.run('deliveries.updateStatus', UPDATE_STATUS, keys, [
        base,
        id,
        input.status,
        allowedFrom(input.status),
        encodeEvent(input.detail === undefined ? event : { ...event, detail: input.detail }),
        encodeFailure(input.error),
        input.pricing === undefined ? '' : JSON.stringify(input.pricing),
        now(),
        isTerminalStatus(input.status) ? '1' : '',
      ]);
      if (reply === 'missing' || !Array.isArray(reply)) throw new NotFoundError('delivery', id);
      const delivery = toDelivery(reply[1] ?? null);
      if (delivery === null) throw new NotFoundError('delivery', id);
      return { delivery, changed: reply[0] === 1 };
    },

    async retry(id, at) {
      const reply = await ctx.conn.run('deliveries.retry', RETRY, keys, [
        base,
        id,
        String(at.getTime()),
        now(),
        encodeEvent({ status: 'queued', at: new Date(ctx.clock.now()), source: 'host' }),
        TERMINAL_STATUSES,
      ]);
      return toDelivery(reply);
    },
  };
}
