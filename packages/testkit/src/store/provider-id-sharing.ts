import { describe, expect, it } from 'vitest';
import { claimedDelivery } from './deliveries';
import { failure } from './fixtures';
import type { StoreHarness } from './harness';

const LEASE = 30_000;

/**
 * `findByProviderMessageId` when two deliveries of one adapter recorded the same provider id (a
 * provider that reuses ids): a delivery that gives the id up (sent again with a new one) takes only
 * its own claim on it, so the id keeps finding the other delivery.
 */
export function describeProviderIdSharing(h: StoreHarness): void {
  const complete = (id: string, providerMessageId: string) =>
    h.store.deliveries.complete(id, {
      owner: 'instance-a',
      providerMessageId,
      status: 'accepted',
      at: h.clock.date(),
    });
  const find = (providerMessageId: string) =>
    h.store.deliveries.findByProviderMessageId({ adapterId: 'sms-main', providerMessageId });

  describe('deliveries: a provider id two deliveries recorded', () => {
    it('still finds the other delivery once one is sent again with a new id', async () => {
      const first = await claimedDelivery(h.store, h.clock);
      await complete(first, 'SM-shared');
      const second = await claimedDelivery(h.store, h.clock);
      await complete(second, 'SM-shared');
      await h.store.deliveries.fail(first, { error: failure(), at: h.clock.date() });
      await h.store.deliveries.retry(first, h.clock.date());
      const [claimed] = await h.store.deliveries.claimDue({
        owner: 'instance-a',
        limit: 1,
        leaseMs: LEASE,
      });
      expect(claimed?.id).toBe(first);
      await complete(first, 'SM-new');
      expect((await find('SM-new'))?.id).toBe(first);
      expect((await find('SM-shared'))?.id).toBe(second);
    });
  });
}
