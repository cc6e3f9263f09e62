import { describe, expect, it } from 'vitest';
import { claimedDelivery } from './deliveries';
import { failure, MINUTE, newDelivery } from './fixtures';
import type { StoreHarness } from './harness';

const LEASE = 30_000;

/** `DeliveryStore` work under a lease: claimDue, complete, reschedule, fail, schedule, retry. */
export function describeDeliveryWork(h: StoreHarness): void {
  const claim = (owner: string, limit = 100) =>
    h.store.deliveries.claimDue({ owner, limit, leaseMs: LEASE });
  const ago = (minutes: number) => new Date(h.clock.now() - minutes * MINUTE);

  describe('deliveries: claiming and finishing work', () => {
    it('claimDue leases due deliveries, oldest due first, and counts an attempt on each', async () => {
      const { delivery: middle } = await h.store.deliveries.create(
        newDelivery(h.clock, { nextAttemptAt: ago(2) }),
      );
      const { delivery: oldest } = await h.store.deliveries.create(
        newDelivery(h.clock, { nextAttemptAt: ago(3) }),
      );
      const { delivery: newest } = await h.store.deliveries.create(
        newDelivery(h.clock, { nextAttemptAt: ago(1) }),
      );
      const claimed = await claim('instance-a', 2);
      expect(claimed.map((delivery) => delivery.id)).toEqual([oldest.id, middle.id]);
      for (const delivery of claimed) {
        expect(delivery).toMatchObject({
          status: 'queued',
          attempts: 1,
          lease: { owner: 'instance-a', expiresAt: new Date(h.clock.now() + LEASE) },
        });
      }
      expect((await h.store.deliveries.get(oldest.id))?.lease?.owner).toBe('instance-a');
      expect((await claim('instance-b')).map((delivery) => delivery.id)).toEqual([newest.id]);
    });

    it('outboxStats (when the store has it) counts due queued work, leased or not, and the oldest due time', async () => {
      const stats = h.store.deliveries.outboxStats?.bind(h.store.deliveries);
      // Optional: a store without it simply reports no outbox gauges.
      if (stats === undefined) return;
      expect(await stats()).toEqual({ due: 0, oldestDueAt: null });
      await h.store.deliveries.create(newDelivery(h.clock, { nextAttemptAt: ago(3) }));
      await h.store.deliveries.create(newDelivery(h.clock, { nextAttemptAt: ago(1) }));
      await h.store.deliveries.create(
        newDelivery(h.clock, { nextAttemptAt: new Date(h.clock.now() + 5 * MINUTE) }),
      );
      await h.store.deliveries.create(newDelivery(h.clock, { nextAttemptAt: null }));
      expect(await stats()).toEqual({ due: 2, oldestDueAt: ago(3) });
      // Claimed is not sent: still counted until it completes.
      const [oldest] = await claim('instance-a', 1);
      expect(await stats()).toEqual({ due: 2, oldestDueAt: ago(3) });
      await h.store.deliveries.complete(oldest?.id as string, {
        owner: 'instance-a',
        providerMessageId: 'SM-stats',
        status: 'sent',
        at: h.clock.date(),
      });
      expect(await stats()).toEqual({ due: 1, oldestDueAt: ago(1) });
    });

    it('does not claim a delivery that is not yet due, nor a parked one, until it is scheduled', async () => {
      const { delivery: later } = await h.store.deliveries.create(
        newDelivery(h.clock, { nextAttemptAt: new Date(h.clock.now() + 5 * MINUTE) }),
      );
      const { delivery: parked } = await h.store.deliveries.create(
        newDelivery(h.clock, { nextAttemptAt: null }),
      );
      expect(await claim('a')).toEqual([]);
      h.clock.advance(5 * MINUTE);
      expect((await claim('a')).map((delivery) => delivery.id)).toEqual([later.id]);
      await h.store.deliveries.complete(later.id, {
        owner: 'a',
        providerMessageId: 'SM-later',
        status: 'sent',
        at: h.clock.date(),
      });
      // A day on, the parked one is still waiting for someone to schedule it.
      h.clock.advance(24 * 60 * MINUTE);
      expect(await claim('a')).toEqual([]);
      const scheduled = await h.store.deliveries.schedule(parked.id, h.clock.date());
      expect(scheduled?.nextAttemptAt).toEqual(h.clock.date());
      expect((await claim('a')).map((delivery) => delivery.id)).toEqual([parked.id]);
    });

    it('two concurrent claimDue callers never get the same delivery', async () => {
      for (let index = 0; index < 40; index += 1) {
        await h.store.deliveries.create(newDelivery(h.clock, { nextAttemptAt: ago(index) }));
      }
      const batches = await Promise.all(['a', 'b', 'c', 'd'].map((owner) => claim(owner, 15)));
      const ids = batches.flat().map((delivery) => delivery.id);
      expect(ids).toHaveLength(40);
      expect(new Set(ids).size).toBe(40);
      batches.forEach((batch, index) => {
        const owner = ['a', 'b', 'c', 'd'][index];
        expect(batch.every((delivery) => delivery.lease?.owner === owner)).toBe(true);
      });
    });

    it('a leased delivery is not claimed again until its lease expires; then another owner gets it', async () => {
      const id = await claimedDelivery(h.store, h.clock, 'instance-a');
      h.clock.advance(LEASE - 1);
      expect(await claim('instance-b')).toEqual([]);
      h.clock.advance(2);
      const [retaken] = await claim('instance-b');
      expect(retaken).toMatchObject({ id, attempts: 2, lease: { owner: 'instance-b' } });
    });

    it('claimDue skips deliveries that are no longer queued', async () => {
      const { delivery } = await h.store.deliveries.create(newDelivery(h.clock));
      await h.store.deliveries.updateStatus(delivery.id, {
        status: 'sent',
        at: h.clock.date(),
        source: 'host',
      });
      expect(await claim('a')).toEqual([]);
    });

    it('complete records the provider id, moves the status forward and ends the lease', async () => {
      const id = await claimedDelivery(h.store, h.clock);
      const at = h.clock.date();
      const completed = await h.store.deliveries.complete(id, {
        owner: 'instance-a',
        providerMessageId: 'wamid.1',
        status: 'sent',
        at,
      });
      expect(completed).toMatchObject({
        id,
        status: 'sent',
        providerMessageId: 'wamid.1',
        lease: null,
      });
      expect(completed?.events.at(-1)).toMatchObject({ status: 'sent', at });
      expect(await h.store.deliveries.get(id)).toEqual(completed);
      h.clock.advance(LEASE + 1);
      expect(await claim('instance-b')).toEqual([]);
    });

    it('complete and reschedule by a non-owner return null and change nothing', async () => {
      const id = await claimedDelivery(h.store, h.clock, 'instance-a');
      const before = await h.store.deliveries.get(id);
      const at = h.clock.date();
      expect(
        await h.store.deliveries.complete(id, {
          owner: 'intruder',
          providerMessageId: 'x',
          status: 'sent',
          at,
        }),
      ).toBeNull();
      expect(
        await h.store.deliveries.reschedule(id, { owner: 'intruder', at, error: failure() }),
      ).toBeNull();
      expect(await h.store.deliveries.get(id)).toEqual(before);
    });

    it('complete by an owner whose expired lease another instance took returns null', async () => {
      const id = await claimedDelivery(h.store, h.clock, 'instance-a');
      h.clock.advance(LEASE + 1);
      await claim('instance-b');
      const at = h.clock.date();
      expect(
        await h.store.deliveries.complete(id, {
          owner: 'instance-a',
          providerMessageId: 'late',
          status: 'sent',
          at,
        }),
      ).toBeNull();
      const done = await h.store.deliveries.complete(id, {
        owner: 'instance-b',
        providerMessageId: 'SM-b',
        status: 'sent',
        at,
      });
      expect(done).toMatchObject({ status: 'sent', providerMessageId: 'SM-b' });
    });

    it('reschedule keeps it queued, records the error, ends the lease and makes it due at the given time', async () => {
      const id = await claimedDelivery(h.store, h.clock);
      const retryAt = new Date(h.clock.now() + 2 * MINUTE);
      const error = failure({
        category: 'throttled',
        code: 'meta.130429',
        message: 'Rate limit hit',
      });
      const rescheduled = await h.store.deliveries.reschedule(id, {
        owner: 'instance-a',
        at: retryAt,
        error,
      });
      expect(rescheduled).toMatchObject({
        status: 'queued',
        nextAttemptAt: retryAt,
        lease: null,
        error,
      });
      expect(await claim('instance-b')).toEqual([]);
      h.clock.advance(2 * MINUTE);
      const [again] = await claim('instance-b');
      expect(again).toMatchObject({ id, attempts: 2 });
    });

    it('reschedule with at null parks the delivery, unclaimable until schedule sets a time', async () => {
      const id = await claimedDelivery(h.store, h.clock);
      const parked = await h.store.deliveries.reschedule(id, { owner: 'instance-a', at: null });
      expect(parked).toMatchObject({ status: 'queued', nextAttemptAt: null, lease: null });
      h.clock.advance(7 * 24 * 60 * MINUTE);
      expect(await claim('instance-b')).toEqual([]);
      await h.store.deliveries.schedule(id, h.clock.date());
      const [released] = await claim('instance-b');
      expect(released).toMatchObject({ id, attempts: 2 });
    });

    it('fail by the lease holder moves it to failed with the error and ends the lease', async () => {
      const id = await claimedDelivery(h.store, h.clock);
      const error = failure({
        category: 'unreachable',
        code: 'meta.131026',
        message: 'Not on WhatsApp',
        retryable: false,
      });
      const at = h.clock.date();
      const failed = await h.store.deliveries.fail(id, { owner: 'instance-a', error, at });
      expect(failed).toMatchObject({ status: 'failed', error, lease: null });
      expect(failed?.events.at(-1)).toMatchObject({ status: 'failed', at });
      h.clock.advance(LEASE + 1);
      expect(await claim('instance-b')).toEqual([]);
    });

    it('fail by a non-owner returns null; without an owner it fails any non-terminal delivery', async () => {
      const id = await claimedDelivery(h.store, h.clock, 'instance-a');
      const at = h.clock.date();
      expect(
        await h.store.deliveries.fail(id, { owner: 'intruder', error: failure(), at }),
      ).toBeNull();
      expect((await h.store.deliveries.get(id))?.status).toBe('queued');
      const { delivery: parked } = await h.store.deliveries.create(
        newDelivery(h.clock, { nextAttemptAt: null }),
      );
      const expired = await h.store.deliveries.fail(parked.id, {
        error: failure(),
        at,
        status: 'expired',
      });
      expect(expired?.status).toBe('expired');
      const policy = await h.store.deliveries.fail(id, { error: failure(), at });
      expect(policy).toMatchObject({ status: 'failed', lease: null });
    });

    it('fail refuses a delivery that is already terminal or read', async () => {
      const id = await claimedDelivery(h.store, h.clock);
      const at = h.clock.date();
      await h.store.deliveries.complete(id, {
        owner: 'instance-a',
        providerMessageId: 'p1',
        status: 'sent',
        at,
      });
      await h.store.deliveries.updateStatus(id, { status: 'read', at, source: 'provider' });
      expect(await h.store.deliveries.fail(id, { error: failure(), at })).toBeNull();
      const { delivery } = await h.store.deliveries.create(newDelivery(h.clock));
      await h.store.deliveries.fail(delivery.id, { error: failure(), at });
      expect(
        await h.store.deliveries.fail(delivery.id, { error: failure(), at, status: 'expired' }),
      ).toBeNull();
      expect((await h.store.deliveries.get(delivery.id))?.status).toBe('failed');
    });

    it('schedule returns null for a delivery that is not queued, and for an unknown one', async () => {
      const id = await claimedDelivery(h.store, h.clock);
      await h.store.deliveries.complete(id, {
        owner: 'instance-a',
        providerMessageId: 'p1',
        status: 'accepted',
        at: h.clock.date(),
      });
      expect(await h.store.deliveries.schedule(id, h.clock.date())).toBeNull();
      expect((await h.store.deliveries.get(id))?.nextAttemptAt).toBeNull();
      expect(await h.store.deliveries.schedule('no-such-delivery', h.clock.date())).toBeNull();
    });

    it('retry puts a failed delivery back in the queue, due at the given time', async () => {
      const id = await claimedDelivery(h.store, h.clock);
      await h.store.deliveries.fail(id, {
        owner: 'instance-a',
        error: failure(),
        at: h.clock.date(),
      });
      const due = new Date(h.clock.now() + MINUTE);
      const retried = await h.store.deliveries.retry(id, due);
      expect(retried).toMatchObject({ status: 'queued', nextAttemptAt: due, lease: null });
      h.clock.advance(MINUTE);
      const [claimed] = await claim('instance-b');
      expect(claimed).toMatchObject({ id, attempts: 2 });
    });

    it('retry returns null for a delivery that is not failed or expired', async () => {
      const { delivery } = await h.store.deliveries.create(newDelivery(h.clock));
      expect(await h.store.deliveries.retry(delivery.id, h.clock.date())).toBeNull();
      expect(await h.store.deliveries.retry('no-such-delivery', h.clock.date())).toBeNull();
      expect((await h.store.deliveries.get(delivery.id))?.status).toBe('queued');
    });
  });
}
