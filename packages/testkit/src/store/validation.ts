import { describe, expect, it } from 'vitest';
import { errorOf, MINUTE, newDelivery, newPendingTurn, userWithThread } from './fixtures';
import type { StoreHarness } from './harness';

const LEASE = 30_000;

/** Durations `checkDuration` refuses: zero would be stored already expired, Infinity never expires. */
const BAD_DURATIONS = [0, -1, Number.NaN, Number.POSITIVE_INFINITY];
/** Counts `checkCount` (and `pageSize`) refuse. */
const BAD_COUNTS = [0, -1, 1.5, Number.NaN];
/** Seq bounds `checkSeqBound` refuses (zero is allowed). */
const BAD_SEQ_BOUNDS = [-1, 1.5, Number.NaN];
/** Far above every page cap: capped, never refused. */
const HUGE_PAGE = 1_000_000;

/** Expects `call` to fail with a `ValidationError`, whether it throws or rejects. */
async function refused(call: () => Promise<unknown>): Promise<void> {
  await expect((async () => call())()).rejects.toMatchObject(errorOf('validation'));
}

/**
 * Input validation, per method that takes a duration, count, page size or seq bound: every store
 * refuses the same inputs with the `ValidationError` the core helpers (`checkDuration`,
 * `checkCount`, `checkSeqBound`, `pageSize`) throw, before it writes anything.
 */
export function describeValidation(h: StoreHarness): void {
  describe('input validation', () => {
    it('dedupe.claim refuses a bad ttl and claims nothing', async () => {
      for (const ttl of BAD_DURATIONS) await refused(() => h.store.dedupe.claim('wamid.v', ttl));
      expect(await h.store.dedupe.claim('wamid.v', MINUTE)).toBe(true);
    });

    it('dedupe.extend refuses a bad ttl and keeps the claim', async () => {
      const extend = h.store.dedupe.extend?.bind(h.store.dedupe);
      // Optional: without it the core keeps the claim's first ttl.
      if (extend === undefined) return;
      await h.store.dedupe.claim('wamid.v', MINUTE);
      for (const ttl of BAD_DURATIONS) await refused(() => extend('wamid.v', ttl));
      h.clock.advance(MINUTE - 1);
      expect(await h.store.dedupe.claim('wamid.v', MINUTE)).toBe(false);
    });

    it('leases.acquire and renew refuse a bad ttl and take nothing', async () => {
      const lease = (ttlMs: number) => ({ key: 'thread:v', owner: 'instance-a', ttlMs });
      for (const ttl of BAD_DURATIONS) await refused(() => h.store.leases.acquire(lease(ttl)));
      expect(await h.store.leases.holder('thread:v')).toBeNull();
      expect(await h.store.leases.acquire(lease(MINUTE))).toBe(true);
      for (const ttl of BAD_DURATIONS) await refused(() => h.store.leases.renew(lease(ttl)));
      expect(await h.store.leases.holder('thread:v')).toEqual({
        owner: 'instance-a',
        expiresAt: new Date(h.clock.now() + MINUTE),
      });
    });

    it('deliveries.create refuses a bad lease and creates nothing', async () => {
      for (const ms of BAD_DURATIONS) {
        await refused(() =>
          h.store.deliveries.create(
            newDelivery(h.clock, { idempotencyKey: 'v-1', lease: { owner: 'instance-a', ms } }),
          ),
        );
      }
      expect(await h.store.deliveries.list()).toEqual([]);
      expect(await h.store.deliveries.getByIdempotencyKey('v-1')).toBeNull();
    });

    it('deliveries.claimDue refuses a bad limit or lease and claims nothing', async () => {
      const { delivery } = await h.store.deliveries.create(newDelivery(h.clock));
      const claim = (limit: number, leaseMs: number) =>
        h.store.deliveries.claimDue({ owner: 'instance-a', limit, leaseMs });
      for (const limit of BAD_COUNTS) await refused(() => claim(limit, LEASE));
      for (const leaseMs of BAD_DURATIONS) await refused(() => claim(1, leaseMs));
      const [claimed] = await claim(1, LEASE);
      expect(claimed).toMatchObject({ id: delivery.id, attempts: 1 });
    });

    it('deliveries.renewLease refuses a bad lease and keeps the old one', async () => {
      const renew = h.store.deliveries.renewLease?.bind(h.store.deliveries);
      if (renew === undefined) return;
      const { delivery } = await h.store.deliveries.create(
        newDelivery(h.clock, { lease: { owner: 'instance-a', ms: LEASE } }),
      );
      for (const leaseMs of BAD_DURATIONS) {
        await refused(() => renew({ id: delivery.id, owner: 'instance-a', leaseMs }));
      }
      expect((await h.store.deliveries.get(delivery.id))?.lease).toEqual(delivery.lease);
    });

    it('deliveries.list refuses a bad limit and caps a huge one', async () => {
      await h.store.deliveries.create(newDelivery(h.clock));
      for (const limit of BAD_COUNTS) await refused(() => h.store.deliveries.list({ limit }));
      expect(await h.store.deliveries.list({ limit: HUGE_PAGE })).toHaveLength(1);
    });

    it('jobs.claimDue refuses a bad limit or lease and claims nothing', async () => {
      await h.store.jobs.define({
        id: 'digest',
        handler: 'digest',
        schedule: { type: 'interval', everyMs: MINUTE },
        scheduleKey: `interval:${MINUTE}`,
        nextRunAt: h.clock.date(),
      });
      const claim = (limit: number, leaseMs: number) =>
        h.store.jobs.claimDue({ owner: 'instance-a', limit, leaseMs });
      for (const limit of BAD_COUNTS) await refused(() => claim(limit, LEASE));
      for (const leaseMs of BAD_DURATIONS) await refused(() => claim(1, leaseMs));
      expect((await claim(1, LEASE)).map((job) => job.id)).toEqual(['digest']);
    });

    it('threads.read refuses a bad page size or seq bound; after: 0 and a huge page are fine', async () => {
      const { threadId } = await userWithThread(h.store);
      await h.store.threads.append(threadId, {
        direction: 'inbound',
        at: h.clock.date(),
        text: 'hi',
        channel: 'sms',
      });
      const read = (options: Parameters<typeof h.store.threads.read>[1]) =>
        h.store.threads.read(threadId, options);
      for (const bad of BAD_COUNTS) {
        await refused(() => read({ latest: bad }));
        await refused(() => read({ after: 0, limit: bad }));
        await refused(() => read({ before: 5, limit: bad }));
      }
      for (const bad of BAD_SEQ_BOUNDS) {
        await refused(() => read({ after: bad }));
        await refused(() => read({ before: bad }));
      }
      expect((await read({ after: 0 })).map((entry) => entry.seq)).toEqual([1]);
      expect((await read({ latest: HUGE_PAGE })).map((entry) => entry.seq)).toEqual([1]);
      expect((await read({ after: 0, limit: HUGE_PAGE })).map((entry) => entry.seq)).toEqual([1]);
      expect((await read({ before: 2, limit: HUGE_PAGE })).map((entry) => entry.seq)).toEqual([1]);
    });

    it('deadLetters.list refuses a bad limit', async () => {
      const part = h.store.deadLetters;
      if (part === undefined) return;
      for (const limit of BAD_COUNTS) await refused(() => part.list({ limit }));
      expect(await part.list({ limit: HUGE_PAGE })).toEqual([]);
    });

    it('turns.renew refuses a bad lease and keeps the old one', async () => {
      const part = h.store.turns;
      if (part === undefined) return;
      const turn = await part.enqueue(newPendingTurn({ threadId: 'thread-v', leaseMs: LEASE }));
      if (turn === null) throw new Error('expected the turn to be enqueued');
      for (const leaseMs of BAD_DURATIONS) {
        await refused(() => part.renew(turn.id, { owner: 'instance-a', leaseMs }));
      }
      h.clock.advance(LEASE + 1);
      expect((await part.claimDue({ owner: 'b', limit: 1, leaseMs: LEASE })).length).toBe(1);
    });
  });
}
