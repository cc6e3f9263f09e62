import { createClient } from '@redis/client';
import { createFakeClock, newPendingTurn } from '@threadline/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisStore, type RedisStore } from '../src/index';
import { deletePrefix, REDIS_URL, serverReachable, uniquePrefix } from './support/server';

const MINUTE = 60_000;
const ANN = '+447700900001';
const ANN_WORK = '+447700900002';

// Pending turns under a merge and an erasure, read in Redis itself: the conformance suite reads
// back through the store, which could hide a key the store no longer looks at but still keeps.
describe.runIf(serverReachable)('turn keys under merge and erasure, on a Redis server', () => {
  const prefix = uniquePrefix('turn-owners');
  const admin = createClient({ url: REDIS_URL, RESP: 2 });
  let store: RedisStore;
  beforeAll(async () => {
    await admin.connect();
    store = createRedisStore({
      url: REDIS_URL,
      keyPrefix: prefix,
      clock: createFakeClock(),
      checkPersistence: false,
    });
  });
  afterAll(async () => {
    await store.close();
    await admin.close();
    await deletePrefix(prefix);
  });

  /** An inbound message on WhatsApp from `phone` at `minutes`, and its turn's id. */
  async function received(phone: string, minutes: number, text: string) {
    const { user } = await store.identities.resolve({
      channel: 'whatsapp',
      address: phone,
      kind: 'phone',
    });
    const thread = await store.threads.ensure({ userId: user.id, agentId: 'support' });
    const at = new Date(Date.UTC(2030, 0, 1) + minutes * MINUTE);
    const entry = await store.threads.append(thread.id, { direction: 'inbound', at, text });
    const turn = await store.turns.enqueue(
      newPendingTurn({ threadId: thread.id, seq: entry.seq, userId: user.id, address: phone }),
    );
    return { userId: user.id, threadId: thread.id, turnId: turn?.id ?? '' };
  }

  it('a merge rewrites each turn hash and its bymsg key; erasure leaves no turn key behind', async () => {
    const into = await received(ANN, 2, 'later');
    // Earlier than `into`'s message: after the merge it is seq 1, and `into`'s becomes seq 2.
    const from = await received(ANN_WORK, 1, 'earlier');
    const base = `${prefix}{tn}:`;

    await store.users.merge({ into: into.userId, from: from.userId });

    const turn = (id: string) => admin.hmGet(`${base}turn:${id}`, ['user', 'thread', 'seq']);
    expect(await turn(from.turnId)).toEqual([into.userId, into.threadId, '1']);
    expect(await turn(into.turnId)).toEqual([into.userId, into.threadId, '2']);
    expect(await admin.hGetAll(`${base}bymsg`)).toEqual({
      [`${into.threadId}#1`]: from.turnId,
      [`${into.threadId}#2`]: into.turnId,
    });

    expect(await store.privacy.eraseUser(into.userId)).toMatchObject({ turns: 2 });
    const left: string[] = [];
    for await (const batch of admin.scanIterator({ MATCH: `${base}*`, COUNT: 1000 }))
      left.push(...batch);
    // `due` and `bymsg` are deleted by Redis once empty; no `turn:` hash may remain.
    expect(left).toEqual([]);
  });
});
