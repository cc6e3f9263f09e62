import type { DeliveryStatus } from '@threadline/core';
import { describe, expect, it } from 'vitest';
import { claimedDelivery } from './deliveries';
import { failure } from './fixtures';
import type { StoreHarness } from './harness';

const LEASE = 30_000;

/**
 * Rules of the delivery contract that a dispatcher relies on and the other delivery tests do not
 * reach: what a provider receipt does to the sender's lease, what `complete` does to `error`, and a
 * `complete` repeated after its answer was lost.
 */
export function describeDeliveryRules(h: StoreHarness): void {
  const complete = (id: string, providerMessageId = `p-${id}`, owner = 'instance-a') =>
    h.store.deliveries.complete(id, {
      owner,
      providerMessageId,
      status: 'accepted',
      at: h.clock.date(),
    });

  describe('deliveries: receipts, errors and repeated completes', () => {
    // A webhook receipt can beat the send call's own answer: the sender still holds the lease
    // and must be able to record its provider id, or it would take its own success for a lost
    // lease and send again.
    for (const status of ['sent', 'delivered'] as const satisfies readonly DeliveryStatus[]) {
      it(`a ${status} receipt before complete keeps the sender's lease; complete still records it`, async () => {
        const id = await claimedDelivery(h.store, h.clock);
        const receipt = await h.store.deliveries.updateStatus(id, {
          status,
          at: h.clock.date(),
          source: 'provider',
        });
        expect(receipt.changed).toBe(true);
        expect(receipt.delivery.lease?.owner).toBe('instance-a');
        const done = await complete(id, 'wamid.early');
        expect(done).toMatchObject({ id, status, providerMessageId: 'wamid.early', lease: null });
        // Accepted comes after the receipt: the status stays and history holds no step back.
        expect(done?.events.map((event) => event.status)).toEqual(['queued', status]);
      });
    }

    it('a forward receipt does not make the delivery claimable by another instance', async () => {
      const id = await claimedDelivery(h.store, h.clock);
      await h.store.deliveries.updateStatus(id, {
        status: 'sent',
        at: h.clock.date(),
        source: 'provider',
      });
      h.clock.advance(LEASE + 1);
      expect(
        await h.store.deliveries.claimDue({ owner: 'instance-b', limit: 10, leaseMs: LEASE }),
      ).toEqual([]);
    });

    it('complete clears the error a previous attempt left', async () => {
      const id = await claimedDelivery(h.store, h.clock);
      const retried = await h.store.deliveries.reschedule(id, {
        owner: 'instance-a',
        at: h.clock.date(),
        error: failure({ message: 'Timed out' }),
      });
      expect(retried?.error?.message).toBe('Timed out');
      const [again] = await h.store.deliveries.claimDue({
        owner: 'instance-a',
        limit: 10,
        leaseMs: LEASE,
      });
      expect(again?.id).toBe(id);
      const done = await complete(id);
      expect(done?.status).toBe('accepted');
      expect(done).not.toHaveProperty('error');
      expect(await h.store.deliveries.get(id)).not.toHaveProperty('error');
    });

    it('complete repeated with the same provider id returns the delivery and changes nothing', async () => {
      const id = await claimedDelivery(h.store, h.clock);
      const first = await complete(id, 'wamid.1');
      expect(first?.status).toBe('accepted');
      h.clock.advance(1_000);
      // The first answer was lost with a dropped connection: the dispatcher asks again.
      const repeated = await complete(id, 'wamid.1');
      expect(repeated).toEqual(await h.store.deliveries.get(id));
      expect(repeated).toMatchObject({ id, status: 'accepted', providerMessageId: 'wamid.1' });
      expect(repeated?.events.map((event) => event.status)).toEqual(['queued', 'accepted']);
    });

    it('complete repeated with another provider id, or on a delivery still queued, returns null', async () => {
      const id = await claimedDelivery(h.store, h.clock);
      await complete(id, 'wamid.1');
      expect(await complete(id, 'wamid.2')).toBeNull();
      expect((await h.store.deliveries.get(id))?.providerMessageId).toBe('wamid.1');
      // Rescheduled (no lease, still queued): a complete now is a lost lease, not a repeat.
      const other = await claimedDelivery(h.store, h.clock, 'instance-b');
      await h.store.deliveries.reschedule(other, {
        owner: 'instance-b',
        at: h.clock.date(),
      });
      expect(await complete(other, `p-${other}`, 'instance-b')).toBeNull();
      expect((await h.store.deliveries.get(other))?.status).toBe('queued');
    });
  });
}
