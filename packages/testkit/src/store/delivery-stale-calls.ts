import { describe, expect, it } from 'vitest';
import { claimedDelivery } from './deliveries';
import { failure, newDelivery } from './fixtures';
import type { StoreHarness } from './harness';

const LEASE = 30_000;

/**
 * Calls from an instance whose delivery moved on without it: retried and claimed again, moved
 * forward by a receipt, or never leased. Each is refused, so the instance does not report (or
 * send) work it no longer owns.
 */
export function describeDeliveryStaleCalls(h: StoreHarness): void {
  const complete = (id: string, owner: string, providerMessageId: string) =>
    h.store.deliveries.complete(id, {
      owner,
      providerMessageId,
      status: 'accepted',
      at: h.clock.date(),
    });

  describe('deliveries: calls from an owner the delivery moved on from', () => {
    it('a complete repeated after a retry is a lost lease, not a repeat, claimed again or not', async () => {
      const id = await claimedDelivery(h.store, h.clock);
      await complete(id, 'instance-a', 'wamid.1');
      await h.store.deliveries.fail(id, { error: failure(), at: h.clock.date() });
      await h.store.deliveries.retry(id, h.clock.date());
      // Queued again with no lease: the old answer repeated must not pass for this attempt's.
      expect(await complete(id, 'instance-a', 'wamid.1')).toBeNull();
      const [claimed] = await h.store.deliveries.claimDue({
        owner: 'instance-b',
        limit: 1,
        leaseMs: LEASE,
      });
      expect(claimed?.id).toBe(id);
      // A receipt moved it past queued while instance-b holds the lease.
      await h.store.deliveries.updateStatus(id, {
        status: 'sent',
        at: h.clock.date(),
        source: 'provider',
      });
      expect(await complete(id, 'instance-a', 'wamid.1')).toBeNull();
      expect(await h.store.deliveries.get(id)).toMatchObject({
        status: 'sent',
        lease: { owner: 'instance-b' },
      });
    });

    it('reschedule by the lease holder answers null once a receipt moved the delivery past queued', async () => {
      const id = await claimedDelivery(h.store, h.clock);
      await h.store.deliveries.updateStatus(id, {
        status: 'sent',
        at: h.clock.date(),
        source: 'provider',
      });
      const at = new Date(h.clock.now() + LEASE);
      expect(await h.store.deliveries.reschedule(id, { owner: 'instance-a', at })).toBeNull();
      expect(await h.store.deliveries.get(id)).toMatchObject({
        status: 'sent',
        lease: { owner: 'instance-a' },
      });
    });

    it('renewLease refuses a queued delivery nobody holds a lease on', async () => {
      const renew = h.store.deliveries.renewLease?.bind(h.store.deliveries);
      // Optional: a store without it makes the runtime check ownership with `get` instead.
      if (renew === undefined) return;
      const { delivery } = await h.store.deliveries.create(newDelivery(h.clock));
      expect(await renew({ id: delivery.id, owner: 'instance-a', leaseMs: LEASE })).toBe(false);
      expect((await h.store.deliveries.get(delivery.id))?.lease).toBeNull();
    });
  });
}
