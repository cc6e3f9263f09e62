import {
  checkDuration,
  DELIVERY_LIST_PAGE,
  type Delivery,
  type DeliveryStore,
  type NewDelivery,
  pageSize,
  StoreError,
} from '@threadline/core';
import { defineScript } from './connection';
import type { RedisContext } from './context';
import { type OwedEntry, payCreatorEntry, prepareOwedEntry } from './delivery-entries';
import { createDeliveryLease } from './delivery-lease';
import {
  encodeDocument,
  encodeEvent,
  OUTBOX_LUA,
  outboxKeys,
  PROVIDER_ID_SEPARATOR,
  toDeliveries,
  toDelivery,
} from './delivery-records';
import { createDeliveryWork } from './delivery-work';
import { outboxStats } from './outbox-stats';

/**
 * ARGV: base, id, idempotency key, document, channel, adapterId, userId, threadId, now, next
 * attempt ('' parks it), lease owner (''), lease expiry, queued event, the thread entry it owes
 * ('' for none; see `delivery-entries.ts`). Answers `{ created, delivery }`: the row, its
 * history, the idempotency key, the owed entry and its place in `due` or `inflight` in one step.
 */
const CREATE = defineScript(
  'delivery-create',
  `${OUTBOX_LUA}if ARGV[3] ~= '' then
  local existing = redis.call('HGET', B .. 'idem', ARGV[3])
  if existing then
    local found = read(existing)
    if found then return { 0, found } end
  end
end
local id = ARGV[2]
local n = redis.call('INCR', B .. 'seq')
local m = string.format('%016d', n) .. ':' .. id
local k = B .. 'd:' .. id
redis.call('HSET', k, 'd', id, 'doc', ARGV[4], 'channel', ARGV[5], 'adapter', ARGV[6], 'status', 'queued',
  'attempts', 0, 'next', ARGV[10], 'created', ARGV[9], 'updated', ARGV[9], 'm', m)
if ARGV[3] ~= '' then redis.call('HSET', B .. 'idem', ARGV[3], id) end
if ARGV[7] ~= '' then
  redis.call('HSET', k, 'user', ARGV[7])
  redis.call('ZADD', B .. 'user:' .. ARGV[7], n, id)
end
if ARGV[8] ~= '' then
  redis.call('HSET', k, 'thread', ARGV[8])
  redis.call('SADD', B .. 'thread:' .. ARGV[8], id)
end
redis.call('ZADD', B .. 'all', n, id)
redis.call('RPUSH', B .. 'ev:' .. id, ARGV[13])
if ARGV[14] ~= '' then redis.call('HSET', k, 'owe', ARGV[14]) end
if ARGV[11] ~= '' then
  redis.call('HSET', k, 'lo', ARGV[11], 'le', ARGV[12], 'attempts', 1)
  redis.call('ZADD', B .. 'inflight', ARGV[12], m)
elseif ARGV[10] ~= '' then
  redis.call('ZADD', B .. 'due', ARGV[10], m)
end
return { 1, read(id) }`,
);

/** ARGV: base, index hash ('idem', 'pmid' or ''), field or id. */
const READ = defineScript(
  'delivery-read',
  `${OUTBOX_LUA}local id = ARGV[3]
if ARGV[2] ~= '' then id = redis.call('HGET', B .. ARGV[2], ARGV[3]) end
if not id then return false end
return read(id)`,
);

/**
 * ARGV: base, index zset ('all' or 'user:<id>'), status, channel, since, limit. Walks the index
 * newest first, filtering, until the page is full.
 */
const LIST = defineScript(
  'delivery-list',
  `${OUTBOX_LUA}local out = {}
local limit = tonumber(ARGV[6])
local offset = 0
while #out < limit do
  local ids = redis.call('ZREVRANGE', B .. ARGV[2], offset, offset + 199)
  if #ids == 0 then break end
  for _, id in ipairs(ids) do
    local f = redis.call('HMGET', B .. 'd:' .. id, 'status', 'channel', 'created')
    if f[1] and (ARGV[3] == '' or f[1] == ARGV[3]) and (ARGV[4] == '' or f[2] == ARGV[4])
      and (ARGV[5] == '' or tonumber(f[3]) >= tonumber(ARGV[5])) then
      out[#out + 1] = read(id)
      if #out >= limit then break end
    end
  end
  offset = offset + 200
end
return out`,
);

/** `deliveries.list`'s page bounds. */
const LIST_PAGE = { ...DELIVERY_LIST_PAGE, path: 'limit' };

/**
 * The outbox, under the `{o}` hash tag: every step (create with its idempotency key and due
 * index, claim, complete, status update) is one script, so two instances never claim one
 * delivery and a late receipt never moves a status backwards.
 *
 * @example
 * ```ts
 * const { delivery } = await store.deliveries.create({ channel: 'sms', adapterId: 'twilio', recipient: '+447700900123',
 *   payload: { text: 'hi' }, origin: 'send', idempotencyKey: 'order-42', nextAttemptAt: new Date() });
 * const [claimed] = await store.deliveries.claimDue({ owner: 'instance-a', limit: 10, leaseMs: 30_000 });
 * ```
 */
export function createDeliveryStore(ctx: RedisContext): DeliveryStore {
  const base = ctx.keys.outbox;
  const keys = outboxKeys(base);

  async function read(operation: string, index: string, field: string) {
    return toDelivery(await ctx.conn.run(operation, READ, keys, [base, index, field]));
  }

  /** The create script; `owed` is the thread entry the new delivery owes (see `delivery-entries.ts`). */
  async function insert(
    input: NewDelivery,
    id: string,
    owed: OwedEntry | null,
  ): Promise<{ delivery: Delivery; created: boolean }> {
    const now = ctx.clock.now();
    const reply = await ctx.conn.run('deliveries.create', CREATE, keys, [
      base,
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
    ]);
    const parts = Array.isArray(reply) ? reply : [];
    const delivery = toDelivery(parts[1] ?? null);
    if (delivery === null) {
      throw new StoreError('Redis store: deliveries.create read back no delivery', {
        code: 'store_failed',
      });
    }
    return { delivery, created: parts[0] === 1 };
  }

  return {
    async create(input) {
      if (input.lease !== undefined) checkDuration(input.lease.ms, 'lease.ms');
      const id = ctx.generateId();
      const { threadEntry } = input;
      if (threadEntry === undefined) return insert(input, id, null);
      // With its thread entry: the thread is checked first (unknown: nothing written), the
      // delivery stores the entry it owes, and the entry is appended before `create` returns.
      const owed = await prepareOwedEntry(ctx, {
        deliveryId: id,
        threadId: input.threadId,
        entry: threadEntry,
      });
      const made = await insert(input, id, owed);
      // A repeated idempotency key: the first create wrote (or owes) the entry; nothing more.
      if (!made.created) return made;
      const entry = await payCreatorEntry(ctx, owed, input.lease !== undefined);
      return { ...made, entry };
    },

    get: (id) => read('deliveries.get', '', id),
    getByIdempotencyKey: (key) => read('deliveries.getByIdempotencyKey', 'idem', key),
    findByProviderMessageId: ({ adapterId, providerMessageId }) =>
      read(
        'deliveries.findByProviderMessageId',
        'pmid',
        `${adapterId}${PROVIDER_ID_SEPARATOR}${providerMessageId}`,
      ),

    async list(query = {}) {
      const limit = pageSize(query.limit, LIST_PAGE);
      const reply = await ctx.conn.run('deliveries.list', LIST, keys, [
        base,
        query.userId === undefined ? 'all' : `user:${query.userId}`,
        query.status ?? '',
        query.channel ?? '',
        query.since === undefined ? '' : String(query.since.getTime()),
        String(limit),
      ]);
      return toDeliveries(reply);
    },

    ...createDeliveryWork(ctx),

    outboxStats: () => outboxStats(ctx),

    ...createDeliveryLease(ctx),
  };
}
