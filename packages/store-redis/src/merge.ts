import {
  type NewThreadEntry,
  NotFoundError,
  StoreError,
  type Thread,
  type ThreadEntry,
  type User,
  ValidationError,
} from '@threadline/core';
import { defineScript } from './connection';
import type { RedisContext } from './context';
import { moveDeliveries } from './delivery-owners';
import { swapName } from './directory';
import { addHeld, heldOf } from './held';
import { dropIdentity, identitiesOf, writeIdentity } from './identity-records';
import { adoptClaims } from './inbound-claims';
import { DELETE_KEYS, userSlotKeys } from './privacy';
import { encodeEntry, entriesOf, threadsOf } from './threads';
import { findTurns, moveTurns } from './turn-owners';
import { ADD_CONTACT, mergeUserFields, readUser, userKeys } from './users';

/** How often a thread merge re-reads when an append raced it. */
const MERGE_ATTEMPTS = 5;

/** KEYS: thread. Closes a thread to appends (it is about to be merged away). */
const CLOSE_THREAD = defineScript(
  'thread-close',
  `return redis.call('HSET', KEYS[1], 'closed', 1)`,
);

/**
 * KEYS: thread, entries. ARGV: the seq it was read at, createdAt, then every entry in order.
 * Replaces the entries if no append came in between (0 otherwise: read again).
 */
const REPLACE_ENTRIES = defineScript(
  'thread-replace-entries',
  `if redis.call('HGET', KEYS[1], 'seq') ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[2])
for i = 3, #ARGV do redis.call('RPUSH', KEYS[2], ARGV[i]) end
redis.call('HSET', KEYS[1], 'seq', #ARGV - 2, 'created', ARGV[2])
return 1`,
);

/** KEYS: thread-by-agent, thread-list, user. ARGV: agentId, threadId. Adds a moved thread to a user. */
const ADOPT_THREAD = defineScript(
  'thread-adopt',
  `redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], redis.call('HINCRBY', KEYS[3], 'threads', 1), ARGV[2])
return 1`,
);

/**
 * Points the pending turns of two joined threads at their entries' new places: `order` is the
 * entries of both, as they were read, in their merged order (the new seq is the index + 1). A
 * turn whose entry is not among them (its message is gone) stays as it was: the runtime reports
 * it when it cannot find the entry. Recording a message and enqueueing its turn are two steps
 * here, so a turn enqueued between this read and the move keeps its old place.
 */
async function renumberTurns(
  ctx: RedisContext,
  into: Thread,
  from: Thread,
  order: readonly ThreadEntry[],
): Promise<void> {
  const places = await findTurns(ctx, 'users.merge', {
    userId: '',
    threadIds: [into.id, from.id],
  });
  if (places.length === 0) return;
  const seqs = new Map(order.map((entry, index) => [`${entry.threadId}#${entry.seq}`, index + 1]));
  const renumbered = places.flatMap((place) => {
    const seq = seqs.get(`${place.threadId}#${place.seq}`);
    return seq === undefined ? [] : [{ place, threadId: into.id, seq }];
  });
  await moveTurns(ctx, { into: into.id, renumbered });
}

/** Joins thread `from` into `into`: entries in time order (`into`'s first on a tie), renumbered. */
async function joinThreads(ctx: RedisContext, into: Thread, from: Thread): Promise<void> {
  const op = 'users.merge';
  await ctx.conn.run(op, CLOSE_THREAD, [ctx.keys.thread(from.id)], []);
  const incoming = await entriesOf(ctx, from.id);
  for (let attempt = 1; attempt <= MERGE_ATTEMPTS; attempt += 1) {
    const kept = await entriesOf(ctx, into.id);
    const order = [
      ...kept.map((entry) => ({ entry, side: 0 })),
      ...incoming.map((entry) => ({ entry, side: 1 })),
    ]
      .sort(
        (a, b) =>
          a.entry.at.getTime() - b.entry.at.getTime() ||
          a.side - b.side ||
          a.entry.seq - b.entry.seq,
      )
      .map(({ entry }) => entry);
    const merged = order.map((entry) => {
      const { threadId: _thread, seq: _seq, ...fields } = entry;
      return encodeEntry(fields as NewThreadEntry);
    });
    const createdAt = Math.min(into.createdAt.getTime(), from.createdAt.getTime());
    const replaced = await ctx.conn.run(
      op,
      REPLACE_ENTRIES,
      [ctx.keys.thread(into.id), ctx.keys.entries(into.id)],
      [String(kept.length), String(createdAt), ...merged],
    );
    if (replaced === 1) {
      // At once: until the turns move, a takeover of one would read another message.
      await renumberTurns(ctx, into, from, order);
      await ctx.conn.command(op, ['DEL', ctx.keys.thread(from.id), ctx.keys.entries(from.id)]);
      return;
    }
  }
  throw new StoreError(`Redis store: users.merge: thread ${into.id} kept changing; try again`, {
    code: 'store_unavailable',
    retryable: true,
  });
}

/**
 * Merges user `from` into `into` (see `UserStore.merge`). The two users live in two slots, so
 * this is a sequence of scripts, each safe to repeat, ordered so that every lookup finds the
 * data at each moment: copy to `into`, then repoint the directory keys, then delete from `from`;
 * `from`'s user record goes last, so a merge that stopped half-way can simply be run again.
 * A thread that moves over keeps its id and its keys (in `from`'s old slot): ids must stay valid.
 */
export async function mergeUsers(
  ctx: RedisContext,
  input: { into: string; from: string },
): Promise<User> {
  const { into, from } = input;
  if (into === from) {
    throw new ValidationError('merge', [
      { path: 'from', message: 'cannot merge a user into itself' },
    ]);
  }
  const op = 'users.merge';
  const [intoUser, fromUser] = await Promise.all([readUser(ctx, into), readUser(ctx, from)]);
  if (intoUser === null) throw new NotFoundError('user', into);
  if (fromUser === null) throw new NotFoundError('user', from);

  const contacts = [
    ...fromUser.phoneNumbers.map((value) => ({ kind: 'phone' as const, value })),
    ...fromUser.emails.map((value) => ({ kind: 'email' as const, value })),
  ];
  for (const contact of contacts) {
    await ctx.conn.run(op, ADD_CONTACT, userKeys(ctx, into), [
      String(ctx.clock.now()),
      contact.kind,
      contact.value,
    ]);
    await swapName(ctx, op, ctx.keys.contact(contact.kind, contact.value), from, into);
  }
  await mergeUserFields(ctx, into, {
    ...(intoUser.displayName === undefined && fromUser.displayName !== undefined
      ? { displayName: fromUser.displayName }
      : {}),
    profile: { ...fromUser.profile, ...intoUser.profile },
  });

  // Before the addresses move: a retry that finds `into` must find the claims there.
  await adoptClaims(ctx, from, into);
  const identities = await identitiesOf(ctx, from);
  for (const identity of identities) {
    await writeIdentity(ctx, op, identity, into);
    await swapName(ctx, op, ctx.keys.address(identity.channel, identity.address), from, into);
    await dropIdentity(ctx, op, identity, from);
  }

  const kept = new Map((await threadsOf(ctx, into)).map((thread) => [thread.agentId, thread]));
  const joined: Array<[string, string]> = [];
  for (const thread of await threadsOf(ctx, from)) {
    const survivor = kept.get(thread.agentId);
    if (survivor === undefined) {
      await ctx.conn.run(
        op,
        ADOPT_THREAD,
        [ctx.keys.threadByAgent(into), ctx.keys.threadList(into), ctx.keys.user(into)],
        [thread.agentId, thread.id],
      );
      await ctx.conn.command(op, ['HSET', ctx.keys.thread(thread.id), 'user', into]);
    } else {
      await joinThreads(ctx, survivor, thread);
      joined.push([thread.id, survivor.id]);
    }
  }
  await moveDeliveries(ctx, { from, into, threads: joined });
  await addHeld(ctx, into, await heldOf(ctx, from));
  // A turn keeps its id and lease (the instance running it keeps it); only its user changes.
  await moveTurns(ctx, { from, into });
  await ctx.conn.run(op, DELETE_KEYS, userSlotKeys(ctx, from), []);
  return (await readUser(ctx, into)) as User;
}
