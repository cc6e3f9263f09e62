import {
  checkDuration,
  DELIVERY_LIST_PAGE,
  type Delivery,
  type DeliveryStore,
  type NewDelivery,
  pageSize,
} from '@threadline/core';
import { defineScript } from './connection';
import type { RedisContext } from './context';
import { createDeliveryBatch } from './delivery-batch';
import { CREATE, createArguments, toCreated } from './delivery-create';
import { type OwedEntry, payCreatorEntry, prepareOwedEntry } from './delivery-entries';
import { createDeliveryLease } from './delivery-lease';
import {
  OUTBOX_LUA,
  outboxKeys,
  PROVIDER_ID_SEPARATOR,
  toDeliveries,
  toDelivery,
} from './delivery-records';
import { createDeliveryWork } from './delivery-work';
import { outboxStats } from './outbox-stats';

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
    const args = createArguments(ctx, { input, id, owed });
    return toCreated(await ctx.conn.run('deliveries.create', CREATE.one, keys, [base, ...args]));
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

    ...createDeliveryBatch(ctx),
  };
}
