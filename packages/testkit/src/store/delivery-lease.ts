import type { DeliveryStore } from '@threadline/core';
import { describe, expect, it } from 'vitest';
import { failure, newDelivery } from './fixtures';
import type { StoreHarness } from './harness';

const LEASE = 30_000;

/**
 * `deliveries.renewLease` (optional): an attempt that waits for its rate slot keeps its lease, and
 * learns it lost it instead of sending a delivery another instance now owns.
 */
export function describeDeliveryLease(h: StoreHarness): void {
  const renew = (input: Parameters<NonNullable<DeliveryStore['renewLease']>>[0]) => {
    const method = h.store.deliveries.renewLease?.bind(h.store.deliveries);
    return method === undefined ? undefined : method(input);
  };
  const claim = (owner: string) =>
    h.store.deliveries.claimDue({ owner, limit: 100, leaseMs: LEASE });
  const createLeased = async (owner = 'instance-a') =>
    (await h.store.deliveries.create(newDelivery(h.clock, { lease: { owner, ms: LEASE } })))
      .delivery;

  describe('deliveries: renewing a lease (when the store has renewLease)', () => {
    it('renewLease extends the owner’s lease, so no other instance claims it meanwhile', async () => {
      const delivery = await createLeased();
      h.clock.advance(LEASE - 1_000);
      const renewed = renew({ id: delivery.id, owner: 'instance-a', leaseMs: LEASE });
      // Optional: a store without it makes the runtime check ownership with `get` instead.
      if (renewed === undefined) return;
      expect(await renewed).toBe(true);
      expect((await h.store.deliveries.get(delivery.id))?.lease).toEqual({
        owner: 'instance-a',
        expiresAt: new Date(h.clock.now() + LEASE),
      });
      h.clock.advance(LEASE - 1_000);
      expect(await claim('instance-b')).toEqual([]);
      h.clock.advance(1_001);
      expect((await claim('instance-b')).map((claimed) => claimed.id)).toEqual([delivery.id]);
    });

    it('renewLease refuses once another instance claimed the delivery', async () => {
      const delivery = await createLeased();
      h.clock.advance(LEASE + 1);
      const [claimed] = await claim('instance-b');
      expect(claimed?.id).toBe(delivery.id);
      const renewed = renew({ id: delivery.id, owner: 'instance-a', leaseMs: LEASE });
      if (renewed === undefined) return;
      expect(await renewed).toBe(false);
      expect((await h.store.deliveries.get(delivery.id))?.lease?.owner).toBe('instance-b');
    });

    it('renewLease takes back an expired lease nobody claimed, and it is not claimable then', async () => {
      const older = await h.store.deliveries.create(
        newDelivery(h.clock, { nextAttemptAt: new Date(h.clock.now() - 60_000) }),
      );
      const delivery = await createLeased();
      h.clock.advance(LEASE + 1);
      // This claim takes only the older delivery; a store may still sweep the expired lease.
      const [first] = await h.store.deliveries.claimDue({
        owner: 'instance-b',
        limit: 1,
        leaseMs: LEASE,
      });
      expect(first?.id).toBe(older.delivery.id);
      const renewed = renew({ id: delivery.id, owner: 'instance-a', leaseMs: LEASE });
      if (renewed === undefined) return;
      expect(await renewed).toBe(true);
      expect(await claim('instance-d')).toEqual([]);
      h.clock.advance(LEASE + 1);
      const again = (await claim('instance-d')).map((claimed) => claimed.id).sort();
      expect(again).toEqual([older.delivery.id, delivery.id].sort());
    });

    it('renewLease refuses a delivery that is no longer queued, an unknown id and a stranger', async () => {
      const delivery = await createLeased();
      const renewed = renew({ id: delivery.id, owner: 'stranger', leaseMs: LEASE });
      if (renewed === undefined) return;
      expect(await renewed).toBe(false);
      expect(await renew({ id: 'no-such-delivery', owner: 'instance-a', leaseMs: LEASE })).toBe(
        false,
      );
      await h.store.deliveries.fail(delivery.id, {
        owner: 'instance-a',
        error: failure({ retryable: false }),
        at: h.clock.date(),
      });
      expect(await renew({ id: delivery.id, owner: 'instance-a', leaseMs: LEASE })).toBe(false);
    });
  });
}
