import type { Delivery } from '@threadline/core';
import { describe, expect, it } from 'vitest';
import { failure, newDelivery } from './fixtures';
import type { StoreHarness } from './harness';

const LEASE = 30_000;
const SECOND = 1_000;

/**
 * `Delivery.updatedAt`: the time of the last write, by the store's clock, whatever time the write
 * records in the history (a provider's `at` may lie in the past). And an event recorded without
 * `detail` has no `detail` field, as after a JSON round trip.
 */
export function describeDeliveryUpdatedAt(h: StoreHarness): void {
  /** Expects `delivery` to say it was written at the clock's now. */
  const writtenNow = (delivery: Delivery | null | undefined) => {
    expect(delivery?.updatedAt).toEqual(h.clock.date());
  };

  describe('deliveries: updatedAt and the recorded events', () => {
    it('every write moves updatedAt to now, not to the time the write records', async () => {
      const past = h.clock.date();
      const { delivery } = await h.store.deliveries.create(newDelivery(h.clock));
      writtenNow(delivery);
      h.clock.advance(SECOND);
      const owner = 'instance-a';
      const [claimed] = await h.store.deliveries.claimDue({ owner, limit: 1, leaseMs: LEASE });
      writtenNow(claimed);
      h.clock.advance(SECOND);
      const at = h.clock.date();
      writtenNow(await h.store.deliveries.reschedule(delivery.id, { owner, at }));
      h.clock.advance(SECOND);
      writtenNow(await h.store.deliveries.schedule(delivery.id, h.clock.date()));
      await h.store.deliveries.claimDue({ owner, limit: 1, leaseMs: LEASE });
      h.clock.advance(SECOND);
      // The provider accepted it a while ago: the history says so, updatedAt says now.
      const done = await h.store.deliveries.complete(delivery.id, {
        owner,
        providerMessageId: 'wamid.1',
        status: 'accepted',
        at: past,
      });
      writtenNow(done);
      expect(done?.events.at(-1)?.at).toEqual(past);
      h.clock.advance(SECOND);
      const receipt = await h.store.deliveries.updateStatus(delivery.id, {
        status: 'delivered',
        at: past,
        source: 'provider',
      });
      writtenNow(receipt.delivery);
      h.clock.advance(SECOND);
      writtenNow(await h.store.deliveries.fail(delivery.id, { error: failure(), at: past }));
      h.clock.advance(SECOND);
      writtenNow(await h.store.deliveries.retry(delivery.id, h.clock.date()));
      writtenNow(await h.store.deliveries.get(delivery.id));
    });

    it('an event recorded without detail has no detail field', async () => {
      const { delivery } = await h.store.deliveries.create(newDelivery(h.clock));
      const { delivery: sent } = await h.store.deliveries.updateStatus(delivery.id, {
        status: 'sent',
        at: h.clock.date(),
        source: 'provider',
      });
      expect(sent.events.at(-1)).toEqual({
        status: 'sent',
        at: h.clock.date(),
        source: 'provider',
      });
      expect(sent.events.at(-1)).not.toHaveProperty('detail');
      const stored = await h.store.deliveries.get(delivery.id);
      expect(stored?.events.at(-1)).not.toHaveProperty('detail');
    });
  });
}
