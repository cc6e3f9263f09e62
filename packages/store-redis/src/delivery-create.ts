import { type Delivery, type NewDelivery, StoreError } from '@threadline/core';
import { defineBatchScripts } from './batch-scripts';
import type { Reply } from './connection';
import type { RedisContext } from './context';
import type { OwedEntry } from './delivery-entries';
import { encodeDocument, encodeEvent, OUTBOX_LUA, toDelivery } from './delivery-records';

/**
 * A (ARGV for one): base, id, idempotency key, document, channel, adapterId, userId, threadId, now, next
 * attempt ('' parks it), lease owner (''), lease expiry, queued event, the thread entry it owes
 * ('' for none; see `delivery-entries.ts`). Answers `{ created, delivery }`: the row, its
 * history, the idempotency key, the owed entry and its place in `due` or `inflight` in one step.
 */
export const CREATE = defineBatchScripts({
  name: 'delivery-create',
  prelude: OUTBOX_LUA,
  shared: 1,
  body: `if A[3] ~= '' then
  local existing = redis.call('HGET', B .. 'idem', A[3])
  if existing then
    local found = read(existing)
    if found then return { 0, found } end
  end
end
local id = A[2]
local n = redis.call('INCR', B .. 'seq')
local m = string.format('%016d', n) .. ':' .. id
local k = B .. 'd:' .. id
redis.call('HSET', k, 'd', id, 'doc', A[4], 'channel', A[5], 'adapter', A[6], 'status', 'queued',
  'attempts', 0, 'next', A[10], 'created', A[9], 'updated', A[9], 'm', m)
if A[3] ~= '' then redis.call('HSET', B .. 'idem', A[3], id) end
if A[7] ~= '' then
  redis.call('HSET', k, 'user', A[7])
  redis.call('ZADD', B .. 'user:' .. A[7], n, id)
end
if A[8] ~= '' then
  redis.call('HSET', k, 'thread', A[8])
  redis.call('SADD', B .. 'thread:' .. A[8], id)
end
redis.call('ZADD', B .. 'all', n, id)
redis.call('RPUSH', B .. 'ev:' .. id, A[13])
if A[14] ~= '' then redis.call('HSET', k, 'owe', A[14]) end
if A[11] ~= '' then
  redis.call('HSET', k, 'lo', A[11], 'le', A[12], 'attempts', 1)
  redis.call('ZADD', B .. 'inflight', A[12], m)
elseif A[10] ~= '' then
  redis.call('ZADD', B .. 'due', A[10], m)
end
return { 1, read(id) }`,
});

/** The create script's arguments after the base, for `input` as delivery `id`. */
export function createArguments(
  ctx: RedisContext,
  item: { input: NewDelivery; id: string; owed: OwedEntry | null },
): string[] {
  const { input, id, owed } = item;
  const now = ctx.clock.now();
  return [
    id,
    input.idempotencyKey ?? '',
    encodeDocument(input),
    input.channel,
    input.adapterId,
    input.userId ?? '',
    input.threadId ?? '',
    String(now),
    input.nextAttemptAt === null ? '' : String(input.nextAttemptAt.getTime()),
    input.lease?.owner ?? '',
    input.lease === undefined ? '' : String(now + Math.ceil(input.lease.ms)),
    encodeEvent({ status: 'queued', at: new Date(now), source: 'dispatcher' }),
    owed?.stored ?? '',
  ];
}

/** The create script's answer: the delivery, and whether this call made it. */
export function toCreated(reply: Reply): { delivery: Delivery; created: boolean } {
  const parts = Array.isArray(reply) ? reply : [];
  const delivery = toDelivery(parts[1] ?? null);
  if (delivery === null) {
    throw new StoreError('Redis store: deliveries.create read back no delivery', {
      code: 'store_failed',
    });
  }
  return { delivery, created: parts[0] === 1 };
}
