import {
  type Delivery,
  type NewThreadEntry,
  NotFoundError,
  type ThreadEntry,
} from '@threadline/core';
import { batchArguments, defineBatchScripts } from './batch-scripts';
import { defineScript, type Reply } from './connection';
import { type RedisContext, toRecord } from './context';
import { OUTBOX_LUA, outboxKeys, toDelivery } from './delivery-records';
import { decodeEntry, encodeEntry } from './threads';

// "One commit per fact" for a delivery and its thread entry, across two slots (`{o}` and the
// thread's `{u:<userId>}`), which no one script can join:
//
// 1. `create` stores the entry the delivery owes (`owe`, the entry JSON with its `deliveryId`) in
//    the same script that creates the delivery;
// 2. right after, the entry is appended in the thread's slot, once per delivery: the thread hash
//    keeps the marker `dlv:<deliveryId>` → seq, so a repeat appends nothing;
// 3. whoever is handed the delivery to send first makes sure of step 2: `create` returns only
//    once it is done, and `claimDue` pays an owed entry before it hands a delivery out. The
//    lease holder's next step (`renewLease`, `complete`, `reschedule`, `fail`) drops `owe`:
//    it was handed the delivery, so the entry is in the thread.
//
// So a delivery is never sent while its thread lacks its entry. A thread that no longer exists
// (erased, or merged away with the delivery left behind) is owed nothing: the message goes out
// unrecorded, as the runtime does when a thread is gone.

/**
 * KEYS: thread, entries. A (ARGV for one): delivery id, entry JSON. Appends the entry once per
 * delivery. Answers `{ seq, entry JSON }` (the first append's seq on a repeat; a merge may have
 * renumbered it since), 'gone' (no such thread) or 'closed' (being merged away: try again later).
 * `many` appends several deliveries' entries to one thread in one step: consecutive seqs.
 */
const APPEND_OWED = defineBatchScripts({
  name: 'delivery-append-owed',
  shared: 0,
  body: `local marker = 'dlv:' .. A[1]
local seq = redis.call('HGET', KEYS[1], marker)
if seq then return { tonumber(seq), A[2] } end
if redis.call('EXISTS', KEYS[1]) == 0 then return 'gone' end
if redis.call('HEXISTS', KEYS[1], 'closed') == 1 then return 'closed' end
seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
redis.call('RPUSH', KEYS[2], A[2])
redis.call('HSET', KEYS[1], marker, seq)
return { seq, A[2] }`,
});

/** ARGV: base, id. The entry is in the thread: the delivery owes nothing any more. */
const SETTLE = defineScript(
  'delivery-settle-owed',
  `${OUTBOX_LUA}return redis.call('HDEL', B .. 'd:' .. ARGV[2], 'owe')`,
);

/**
 * ARGV: base, id. Deletes a delivery that still owes its entry, with every index entry: its
 * thread went away between the check and the append, so the create is undone (1; 0 if gone).
 */
const UNDO_CREATE = defineScript(
  'delivery-undo-create',
  `${OUTBOX_LUA}local id = ARGV[2]
local k = B .. 'd:' .. id
local f = redis.call('HMGET', k, 'm', 'doc', 'user', 'thread', 'owe')
if not f[1] or not f[5] then return 0 end
unqueue(f[1])
local key = cjson.decode(f[2]).idempotencyKey
if key and redis.call('HGET', B .. 'idem', key) == id then redis.call('HDEL', B .. 'idem', key) end
if f[3] then redis.call('ZREM', B .. 'user:' .. f[3], id) end
if f[4] then redis.call('SREM', B .. 'thread:' .. f[4], id) end
redis.call('ZREM', B .. 'all', id)
redis.call('DEL', k, B .. 'ev:' .. id)
return 1`,
);

/** What step 2 found. */
export type Appended = { status: 'appended'; entry: ThreadEntry } | { status: 'gone' | 'closed' };

function toAppended(threadId: string, stored: string, reply: Reply): Appended {
  if (reply === 'gone' || reply === 'closed') return { status: reply };
  const [seq, kept] = Array.isArray(reply) ? reply : [];
  return { status: 'appended', entry: decodeEntry(threadId, Number(seq), String(kept ?? stored)) };
}

/** Step 2: appends the owed entry (`stored`, with its `deliveryId`) to `threadId`, once. */
async function appendOwed(
  ctx: RedisContext,
  operation: string,
  input: { deliveryId: string; threadId: string; stored: string },
): Promise<Appended> {
  const reply = await ctx.conn.run(
    operation,
    APPEND_OWED.one,
    [ctx.keys.thread(input.threadId), ctx.keys.entries(input.threadId)],
    [input.deliveryId, input.stored],
  );
  return toAppended(input.threadId, input.stored, reply);
}

/**
 * Step 2 for several deliveries of one thread (a `createMany` batch): one script, so their
 * entries take consecutive seqs in item order. One answer per item.
 */
export async function appendOwedMany(
  ctx: RedisContext,
  operation: string,
  threadId: string,
  owed: readonly OwedEntry[],
): Promise<Appended[]> {
  const reply = await ctx.conn.run(
    operation,
    APPEND_OWED.many,
    [ctx.keys.thread(threadId), ctx.keys.entries(threadId)],
    batchArguments(
      [],
      owed.map((item) => [item.deliveryId, item.stored]),
    ),
  );
  const answers = Array.isArray(reply) ? reply : [];
  return owed.map((item, index) => toAppended(threadId, item.stored, answers[index] ?? null));
}

/** Whether `threadId` is a thread that takes appends (exists, not being merged away). */
async function threadOpen(ctx: RedisContext, threadId: string): Promise<boolean> {
  const [id, closed] = toFields(
    await ctx.conn.command('deliveries.create', [
      'HMGET',
      ctx.keys.thread(threadId),
      'id',
      'closed',
    ]),
  );
  return id !== null && closed === null;
}

function toFields(reply: Reply): Array<string | null> {
  return (Array.isArray(reply) ? reply : []).map((value) =>
    value === null || Array.isArray(value) ? null : String(value),
  );
}

/** A create's delivery, prepared for {@link createWithEntry}. */
export interface OwedEntry {
  /** The new delivery's id (chosen before the create, since the entry names it). */
  deliveryId: string;
  threadId: string;
  /** The entry as stored, `deliveryId` included: the create script keeps it as `owe`. */
  stored: string;
}

/**
 * Checks the thread before anything is written (an unknown thread: `NotFoundError`, nothing
 * stored) and serialises the entry the delivery will owe.
 */
export async function prepareOwedEntry(
  ctx: RedisContext,
  input: {
    deliveryId: string;
    threadId: string | undefined;
    entry: Omit<NewThreadEntry, 'deliveryId'>;
  },
): Promise<OwedEntry> {
  const { threadId } = input;
  if (threadId === undefined || !(await threadOpen(ctx, threadId))) {
    throw new NotFoundError('thread', threadId ?? '(no threadId)');
  }
  const stored = encodeEntry({ ...input.entry, deliveryId: input.deliveryId });
  return { deliveryId: input.deliveryId, threadId, stored };
}

/** Undoes the create of a delivery whose thread went away before its entry was appended. */
export async function undoCreate(ctx: RedisContext, deliveryId: string): Promise<void> {
  const base = ctx.keys.outbox;
  await ctx.conn.run('deliveries.create', UNDO_CREATE, outboxKeys(base), [base, deliveryId]);
}

/** The entry is in the thread: an unleased delivery owes nothing any more (best effort, see below). */
export async function settleOwed(ctx: RedisContext, deliveryId: string): Promise<void> {
  const base = ctx.keys.outbox;
  await ctx.conn
    .run('deliveries.create', SETTLE, outboxKeys(base), [base, deliveryId])
    .catch(() => undefined);
}

/**
 * Steps 2 and 3 for the creator, after a create that made the delivery: appends the entry
 * (tried twice: a dropped connection), and returns it. A thread that went away since the check
 * undoes the create (`NotFoundError`, as if the check had failed). A leased delivery keeps `owe`
 * until its holder's next step; an unleased one (parked, due later) is settled now, since no
 * step of a holder follows.
 */
export async function payCreatorEntry(
  ctx: RedisContext,
  owed: OwedEntry,
  leased: boolean,
): Promise<ThreadEntry> {
  const op = 'deliveries.create';
  const appended = await appendOwed(ctx, op, owed).catch(() => appendOwed(ctx, op, owed));
  if (appended.status !== 'appended') {
    await undoCreate(ctx, owed.deliveryId);
    throw new NotFoundError('thread', owed.threadId);
  }
  // If this fails, `owe` stays and a claim appends nothing (the marker) before it hands it out.
  if (!leased) await settleOwed(ctx, owed.deliveryId);
  return appended.entry;
}

/**
 * Step 3 for `claimDue`: the claimed deliveries (script replies) to hand out, each owed entry
 * appended first. One whose entry could not be written (its thread is being merged away, or the
 * append failed) is not handed out: it stays leased to the caller and is claimed again, and its
 * entry paid then, once the lease runs out.
 */
export async function payClaimedEntries(ctx: RedisContext, replies: Reply): Promise<Delivery[]> {
  const claimed = Array.isArray(replies) ? replies : [];
  const paid = await Promise.all(
    claimed.map(async (reply) => {
      const delivery = toDelivery(reply);
      if (delivery === null) return null;
      const owe = Array.isArray(reply) ? toRecord(reply[0] ?? null)?.owe : undefined;
      if (owe === undefined || delivery.threadId === undefined) return delivery;
      try {
        const appended = await appendOwed(ctx, 'deliveries.claimDue', {
          deliveryId: delivery.id,
          threadId: delivery.threadId,
          stored: owe,
        });
        return appended.status === 'closed' ? null : delivery;
      } catch (error) {
        ctx.logger.warn(
          {
            error: error instanceof Error ? error.message : String(error),
            deliveryId: delivery.id,
          },
          'redis store: a claimed delivery owes its thread entry and it could not be written; it is claimed again after its lease',
        );
        return null;
      }
    }),
  );
  return paid.filter((delivery): delivery is Delivery => delivery !== null);
}
