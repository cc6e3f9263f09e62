import {
  THREAD_READ_DEFAULT_LIMIT,
  THREAD_READ_MAX_LIMIT,
  type ThreadStore,
} from '@threadline/core';
import { describe, expect, it } from 'vitest';
import { errorOf, inbound, MINUTE, oneTo, PHONE_A, userWithThread } from './fixtures';
import type { StoreHarness } from './harness';

/** Appends `count` entries one after another, texts `m1`, `m2`…, one minute apart. */
async function fill(
  store: ThreadStore,
  threadId: string,
  count: number,
  start: number,
): Promise<void> {
  for (let index = 1; index <= count; index += 1) {
    await store.threads.append(threadId, inbound(new Date(start + index * MINUTE), `m${index}`));
  }
}

const seqs = (entries: Array<{ seq: number }>) => entries.map((entry) => entry.seq);

/** `ThreadLog`: ensure, get, listByUser, append, read. */
export function describeThreads(h: StoreHarness): void {
  describe('threads', () => {
    it('ensure creates one thread per user and agent, and returns the same one again', async () => {
      const user = await h.store.users.create({});
      const support = await h.store.threads.ensure({ userId: user.id, agentId: 'support' });
      expect(support).toMatchObject({
        userId: user.id,
        agentId: 'support',
        createdAt: h.clock.date(),
      });
      expect(await h.store.threads.ensure({ userId: user.id, agentId: 'support' })).toEqual(
        support,
      );
      const sales = await h.store.threads.ensure({ userId: user.id, agentId: 'sales' });
      expect(sales.id).not.toBe(support.id);
      expect(await h.store.threads.get(support.id)).toEqual(support);
    });

    it('20 concurrent ensures of one user and agent create exactly one thread', async () => {
      const user = await h.store.users.create({});
      const threads = await Promise.all(
        Array.from({ length: 20 }, () =>
          h.store.threads.ensure({ userId: user.id, agentId: 'support' }),
        ),
      );
      expect(new Set(threads.map((thread) => thread.id)).size).toBe(1);
      expect(await h.store.threads.listByUser(user.id)).toHaveLength(1);
    });

    it('ensure throws NotFoundError for an unknown user', async () => {
      await expect(
        h.store.threads.ensure({ userId: 'ghost', agentId: 'support' }),
      ).rejects.toMatchObject(errorOf('not_found'));
    });

    it('get returns null for an unknown thread', async () => {
      expect(await h.store.threads.get('no-such-thread')).toBeNull();
    });

    it("listByUser returns the user's threads and no one else's", async () => {
      const { user, threadId } = await userWithThread(h.store);
      const sales = await h.store.threads.ensure({ userId: user.id, agentId: 'sales' });
      await userWithThread(h.store);
      const listed = await h.store.threads.listByUser(user.id);
      expect(listed.map((thread) => thread.id).sort()).toEqual([threadId, sales.id].sort());
      expect(await h.store.threads.listByUser('ghost')).toEqual([]);
    });

    it('append returns the entry with its thread id and seq 1, 2, 3…', async () => {
      const { threadId } = await userWithThread(h.store);
      const at = h.clock.date();
      const first = await h.store.threads.append(threadId, {
        direction: 'outbound',
        at,
        text: 'Your code is 1234',
        channel: 'sms',
        adapterId: 'sms-main',
        deliveryId: 'delivery-1',
        providerMessageId: 'SM123',
        metadata: { source: 'otp' },
      });
      expect(first).toEqual({
        direction: 'outbound',
        at,
        text: 'Your code is 1234',
        channel: 'sms',
        adapterId: 'sms-main',
        deliveryId: 'delivery-1',
        providerMessageId: 'SM123',
        metadata: { source: 'otp' },
        threadId,
        seq: 1,
      });
      expect((await h.store.threads.append(threadId, inbound(at, 'thanks'))).seq).toBe(2);
      expect((await h.store.threads.append(threadId, inbound(at, 'bye'))).seq).toBe(3);
      expect(await h.store.threads.read(threadId, { latest: 1 })).toEqual([
        { ...inbound(at, 'bye'), threadId, seq: 3 },
      ]);
    });

    it('200 concurrent appends to one thread get seq 1..200, with no gap or repeat', async () => {
      const { threadId } = await userWithThread(h.store);
      const at = h.clock.date();
      const appended = await Promise.all(
        Array.from({ length: 200 }, (_, index) =>
          h.store.threads.append(threadId, inbound(at, `m${index}`)),
        ),
      );
      expect(seqs(appended).sort((a, b) => a - b)).toEqual(oneTo(200));
      const stored = await h.store.threads.read(threadId, { after: 0, limit: 200 });
      expect(seqs(stored)).toEqual(oneTo(200));
      // Each stored entry is the one its append call was told about.
      const textBySeq = new Map(appended.map((entry) => [entry.seq, entry.text]));
      expect(stored.every((entry) => textBySeq.get(entry.seq) === entry.text)).toBe(true);
    });

    it('threads are numbered independently', async () => {
      const a = await userWithThread(h.store);
      const b = await userWithThread(h.store);
      await h.store.threads.append(a.threadId, inbound(h.clock.date(), 'a1'));
      await h.store.threads.append(a.threadId, inbound(h.clock.date(), 'a2'));
      expect((await h.store.threads.append(b.threadId, inbound(h.clock.date(), 'b1'))).seq).toBe(1);
    });

    it('append throws NotFoundError for an unknown thread', async () => {
      await expect(
        h.store.threads.append('no-such-thread', inbound(h.clock.date(), 'hello')),
      ).rejects.toMatchObject(errorOf('not_found'));
    });

    it('read with latest returns the last N entries, oldest first', async () => {
      const { threadId } = await userWithThread(h.store);
      await fill(h.store, threadId, 10, h.clock.now());
      const latest = await h.store.threads.read(threadId, { latest: 3 });
      expect(seqs(latest)).toEqual([8, 9, 10]);
      expect(latest.map((entry) => entry.text)).toEqual(['m8', 'm9', 'm10']);
      expect(seqs(await h.store.threads.read(threadId, { latest: 50 }))).toEqual(oneTo(10));
    });

    it('read with after returns the entries after a seq, up to the limit, oldest first', async () => {
      const { threadId } = await userWithThread(h.store);
      await fill(h.store, threadId, 10, h.clock.now());
      expect(seqs(await h.store.threads.read(threadId, { after: 4, limit: 3 }))).toEqual([5, 6, 7]);
      expect(seqs(await h.store.threads.read(threadId, { after: 8 }))).toEqual([9, 10]);
      expect(await h.store.threads.read(threadId, { after: 10 })).toEqual([]);
    });

    it('read with before returns the entries just before a seq, oldest first', async () => {
      const { threadId } = await userWithThread(h.store);
      await fill(h.store, threadId, 10, h.clock.now());
      expect(seqs(await h.store.threads.read(threadId, { before: 8, limit: 3 }))).toEqual([
        5, 6, 7,
      ]);
      expect(seqs(await h.store.threads.read(threadId, { before: 3, limit: 10 }))).toEqual([1, 2]);
      expect(await h.store.threads.read(threadId, { before: 1 })).toEqual([]);
    });

    it(`reads without a limit return a page of ${THREAD_READ_DEFAULT_LIMIT}`, async () => {
      const { threadId } = await userWithThread(h.store);
      const count = THREAD_READ_DEFAULT_LIMIT + 10;
      await fill(h.store, threadId, count, h.clock.now());
      expect(seqs(await h.store.threads.read(threadId))).toEqual(
        oneTo(count).slice(-THREAD_READ_DEFAULT_LIMIT),
      );
      expect(seqs(await h.store.threads.read(threadId, { after: 0 }))).toEqual(
        oneTo(THREAD_READ_DEFAULT_LIMIT),
      );
      expect(seqs(await h.store.threads.read(threadId, { before: count + 1 }))).toEqual(
        oneTo(count).slice(-THREAD_READ_DEFAULT_LIMIT),
      );
    });

    it(`a page larger than ${THREAD_READ_MAX_LIMIT} returns at most ${THREAD_READ_MAX_LIMIT} entries`, async () => {
      const { threadId } = await userWithThread(h.store);
      const at = h.clock.date();
      // Batches of concurrent appends keep this quick on a networked store.
      for (let batch = 0; batch < 11; batch += 1) {
        await Promise.all(
          Array.from({ length: 100 }, () => h.store.threads.append(threadId, inbound(at, 'x'))),
        );
      }
      const latest = await h.store.threads.read(threadId, { latest: THREAD_READ_MAX_LIMIT + 500 });
      expect(latest).toHaveLength(THREAD_READ_MAX_LIMIT);
      expect(latest[0]?.seq).toBe(1100 - THREAD_READ_MAX_LIMIT + 1);
      const after = await h.store.threads.read(threadId, {
        after: 0,
        limit: THREAD_READ_MAX_LIMIT + 500,
      });
      expect(seqs(after)).toEqual(oneTo(THREAD_READ_MAX_LIMIT));
    });

    it('read throws NotFoundError for an unknown thread', async () => {
      await expect(h.store.threads.read('no-such-thread', { latest: 5 })).rejects.toMatchObject(
        errorOf('not_found'),
      );
    });

    it('an entry keeps the time it happened, not the time it was stored', async () => {
      const { threadId } = await userWithThread(h.store, { phone: PHONE_A });
      const happened = new Date(h.clock.now() - 5 * MINUTE);
      h.clock.advance(MINUTE);
      const entry = await h.store.threads.append(threadId, inbound(happened, 'sent from a tunnel'));
      expect(entry.at).toEqual(happened);
      expect((await h.store.threads.read(threadId, { latest: 1 }))[0]?.at).toEqual(happened);
    });
  });
}
