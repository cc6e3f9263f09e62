import type { DeliveryStore, NewDelivery, NewThreadEntry } from '@threadline/core';
import { describe, expect, it } from 'vitest';
import { errorOf, inbound, newDelivery, oneTo, outcomeValue, userWithThread } from './fixtures';
import type { StoreHarness } from './harness';

const LEASE = 30_000;

/** What {@link describeDeliveryBatch} checks. */
export interface DeliveryBatchSuite {
  /** Whether the store offers `deliveries.createMany`; `false` checks that it leaves it out. */
  offered: boolean;
  /** Whether `create` writes `threadEntry` (see the suite's `deliveryEntries` option). */
  entries: boolean;
}

/**
 * `DeliveryStore.createMany` (group commit): each input as `create` would handle it, one after
 * another in input order, and all of a batch's entries for one thread on consecutive seqs. A
 * store without it is declared `offered: false`; the core then creates one by one.
 */
export function describeDeliveryBatch(h: StoreHarness, suite: DeliveryBatchSuite): void {
  describe('deliveries: createMany (group commit)', () => {
    if (!suite.offered) {
      it('is not offered (the core creates each delivery with create)', () => {
        expect(h.store.deliveries.createMany).toBeUndefined();
      });
      return;
    }

    function createMany(): NonNullable<DeliveryStore['createMany']> {
      const method = h.store.deliveries.createMany;
      if (method === undefined) throw new Error('store.deliveries.createMany is missing');
      return method.bind(h.store.deliveries);
    }

    const entry = (text: string): Omit<NewThreadEntry, 'deliveryId'> => ({
      direction: 'outbound',
      at: h.clock.date(),
      text,
      channel: 'sms',
      adapterId: 'sms-main',
    });

    it('answers in input order, each created as create would make it', async () => {
      const inputs = ['one', 'two', 'three'].map((text) =>
        newDelivery(h.clock, { payload: { text }, userId: `user-${text}` }),
      );
      const outcomes = await createMany()(inputs);
      expect(outcomes).toHaveLength(3);
      const made = outcomes.map(outcomeValue);
      made.forEach(({ delivery, created }, index) => {
        expect(created).toBe(true);
        expect(delivery).toMatchObject({
          ...inputs[index],
          status: 'queued',
          attempts: 0,
          lease: null,
          createdAt: h.clock.date(),
        });
      });
      expect(new Set(made.map(({ delivery }) => delivery.id)).size).toBe(3);
      for (const { delivery } of made) {
        expect(await h.store.deliveries.get(delivery.id)).toEqual(delivery);
      }
      // Newest first, and the batch's last input is the newest.
      const listed = await h.store.deliveries.list();
      expect(listed.map((delivery) => delivery.payload)).toEqual([
        { text: 'three' },
        { text: 'two' },
        { text: 'one' },
      ]);
    });

    it('an empty batch answers nothing and writes nothing', async () => {
      expect(await createMany()([])).toEqual([]);
      expect(await h.store.deliveries.list()).toEqual([]);
    });

    it('a key used before the batch, or earlier in it, makes no second delivery', async () => {
      const before = await h.store.deliveries.create(
        newDelivery(h.clock, { idempotencyKey: 'batch-earlier' }),
      );
      const outcomes = await createMany()([
        newDelivery(h.clock, { idempotencyKey: 'batch-earlier', payload: { text: 'again' } }),
        newDelivery(h.clock, { idempotencyKey: 'batch-new' }),
        newDelivery(h.clock, { idempotencyKey: 'batch-new', payload: { text: 'repeat' } }),
        newDelivery(h.clock),
      ]);
      const [again, first, repeat, plain] = outcomes.map(outcomeValue);
      expect(again).toEqual({ delivery: before.delivery, created: false });
      expect(first?.created).toBe(true);
      expect(repeat).toEqual({ delivery: first?.delivery, created: false });
      expect(plain?.created).toBe(true);
      expect(await h.store.deliveries.list()).toHaveLength(3);
      expect(await h.store.deliveries.getByIdempotencyKey('batch-new')).toEqual(first?.delivery);
      // And a later batch (or create) repeating it finds the same one.
      const [later] = await createMany()([newDelivery(h.clock, { idempotencyKey: 'batch-new' })]);
      expect(outcomeValue(later)).toEqual({ delivery: first?.delivery, created: false });
    });

    it('takes each input’s lease: counted as an attempt, not claimable until it expires', async () => {
      const outcomes = await createMany()([
        newDelivery(h.clock, { lease: { owner: 'instance-a', ms: LEASE } }),
        newDelivery(h.clock),
        newDelivery(h.clock, { lease: { owner: 'instance-b', ms: 2 * LEASE } }),
      ]);
      const [a, free, b] = outcomes.map((outcome) => outcomeValue(outcome).delivery);
      expect(a).toMatchObject({
        attempts: 1,
        lease: { owner: 'instance-a', expiresAt: new Date(h.clock.now() + LEASE) },
      });
      expect(free).toMatchObject({ attempts: 0, lease: null });
      expect(b?.lease).toEqual({
        owner: 'instance-b',
        expiresAt: new Date(h.clock.now() + 2 * LEASE),
      });
      const claim = () =>
        h.store.deliveries.claimDue({ owner: 'instance-c', limit: 10, leaseMs: 10 * LEASE });
      expect((await claim()).map((delivery) => delivery.id)).toEqual([free?.id]);
      h.clock.advance(LEASE + 1);
      expect((await claim()).map((delivery) => delivery.id)).toEqual([a?.id]);
    });

    it('an input create would refuse fails alone and writes nothing; the rest are written', async () => {
      const outcomes = await createMany()([
        newDelivery(h.clock, { idempotencyKey: 'batch-ok-1' }),
        newDelivery(h.clock, {
          idempotencyKey: 'batch-bad-lease',
          lease: { owner: 'instance-a', ms: -1 },
        }),
        newDelivery(h.clock, { idempotencyKey: 'batch-ok-2' }),
      ]);
      expect(outcomes.map((outcome) => outcome.ok)).toEqual([true, false, true]);
      expect(outcomes[1]).toMatchObject({ ok: false, error: errorOf('validation') });
      expect(await h.store.deliveries.getByIdempotencyKey('batch-bad-lease')).toBeNull();
      expect(await h.store.deliveries.list()).toHaveLength(2);
    });

    it('a batch whose every input fails writes nothing', async () => {
      const bad = (key: string): NewDelivery =>
        newDelivery(h.clock, { idempotencyKey: key, lease: { owner: 'instance-a', ms: 0 } });
      const outcomes = await createMany()([bad('batch-none-1'), bad('batch-none-2')]);
      expect(outcomes.map((outcome) => outcome.ok)).toEqual([false, false]);
      expect(await h.store.deliveries.list()).toEqual([]);
    });

    if (!suite.entries) {
      it('ignores threadEntry, as create does', async () => {
        const { user, threadId } = await userWithThread(h.store);
        const [made] = await createMany()([
          newDelivery(h.clock, { userId: user.id, threadId, threadEntry: entry('hi') }),
        ]);
        expect(outcomeValue(made).entry).toBeUndefined();
        expect(await h.store.threads.read(threadId)).toEqual([]);
      });
      return;
    }

    it('writes each entry with its delivery: one thread’s entries on consecutive seqs, in input order', async () => {
      const ann = await userWithThread(h.store, { phone: '+447700900001' });
      const bob = await userWithThread(h.store, { phone: '+447700900002' });
      await h.store.threads.append(ann.threadId, inbound(h.clock.date(), 'hello'));
      const to = (who: typeof ann, text: string) =>
        newDelivery(h.clock, {
          userId: who.user.id,
          threadId: who.threadId,
          threadEntry: entry(text),
        });
      const outcomes = await createMany()([
        to(ann, 'a1'),
        to(bob, 'b1'),
        to(ann, 'a2'),
        newDelivery(h.clock, { userId: ann.user.id }),
        to(ann, 'a3'),
        to(bob, 'b2'),
      ]);
      const made = outcomes.map(outcomeValue);
      expect(made.map((item) => item.entry?.seq)).toEqual([2, 1, 3, undefined, 4, 2]);
      made.forEach((item) => {
        if (item.entry !== undefined) expect(item.entry.deliveryId).toBe(item.delivery.id);
      });
      const annEntries = await h.store.threads.read(ann.threadId);
      expect(annEntries.map((stored) => [stored.seq, stored.text])).toEqual([
        [1, 'hello'],
        [2, 'a1'],
        [3, 'a2'],
        [4, 'a3'],
      ]);
      expect(annEntries[1]).toEqual(made[0]?.entry);
      const bobEntries = await h.store.threads.read(bob.threadId);
      expect(bobEntries).toEqual([made[1]?.entry, made[5]?.entry]);
    });

    it('an entry for an unknown thread fails its input alone; a repeated key writes no entry', async () => {
      const { user, threadId } = await userWithThread(h.store);
      await h.store.deliveries.create(
        newDelivery(h.clock, {
          userId: user.id,
          threadId,
          idempotencyKey: 'batch-entry-once',
          threadEntry: entry('first'),
        }),
      );
      const outcomes = await createMany()([
        newDelivery(h.clock, {
          userId: user.id,
          threadId: 'no-such-thread',
          idempotencyKey: 'batch-lost',
          threadEntry: entry('lost'),
        }),
        newDelivery(h.clock, {
          userId: user.id,
          threadId,
          idempotencyKey: 'batch-entry-once',
          threadEntry: entry('again'),
        }),
        newDelivery(h.clock, { userId: user.id, threadId, threadEntry: entry('second') }),
      ]);
      expect(outcomes[0]).toMatchObject({ ok: false, error: errorOf('not_found') });
      expect(outcomeValue(outcomes[1])).toMatchObject({ created: false });
      expect(outcomeValue(outcomes[1]).entry).toBeUndefined();
      expect(outcomeValue(outcomes[2]).entry?.seq).toBe(2);
      expect(await h.store.deliveries.getByIdempotencyKey('batch-lost')).toBeNull();
      const texts = (await h.store.threads.read(threadId)).map((stored) => stored.text);
      expect(texts).toEqual(['first', 'second']);
    });

    it('concurrent batches and appends to one thread leave no gap and no repeat', async () => {
      const { user, threadId } = await userWithThread(h.store);
      const batch = (label: string) =>
        createMany()(
          Array.from({ length: 5 }, (_, index) =>
            newDelivery(h.clock, {
              userId: user.id,
              threadId,
              threadEntry: entry(`${label}${index}`),
            }),
          ),
        );
      const results = await Promise.all([
        batch('a'),
        h.store.threads.append(threadId, inbound(h.clock.date(), 'in-1')),
        batch('b'),
        h.store.threads.append(threadId, inbound(h.clock.date(), 'in-2')),
        batch('c'),
      ]);
      for (const result of results) {
        if (Array.isArray(result)) for (const outcome of result) outcomeValue(outcome);
      }
      const entries = await h.store.threads.read(threadId, { latest: 100 });
      expect(entries.map((stored) => stored.seq)).toEqual(oneTo(17));
      // Each batch's five entries are consecutive, in its input order.
      for (const label of ['a', 'b', 'c']) {
        const seqs = entries.filter((stored) => stored.text.startsWith(label)).map((s) => s.seq);
        expect(seqs).toHaveLength(5);
        expect(seqs.map((seq) => seq - (seqs[0] as number))).toEqual([0, 1, 2, 3, 4]);
      }
    });
  });
}
