import { describe, expect, it } from 'vitest';
import { claimedDelivery } from './deliveries';
import { errorOf, failure, userWithThread } from './fixtures';
import type { StoreHarness } from './harness';

/** The three provider ids of a text the adapter split into three messages. */
const SPLIT = ['wamid.part1', 'wamid.part2', 'wamid.part3'];

/**
 * `DeliveryStore.complete` with `providerMessageIds` and `findByProviderMessageId`: a message the
 * adapter split into several provider messages is one delivery, found by the id of any part, so
 * a receipt for the third part updates it.
 */
export function describeProviderIds(h: StoreHarness): void {
  const find = (providerMessageId: string, adapterId = 'sms-main') =>
    h.store.deliveries.findByProviderMessageId({ adapterId, providerMessageId });

  /** Completes `id` as owner `instance-a` with `ids` (the first as `providerMessageId`). */
  const complete = (id: string, ids: string[]) =>
    h.store.deliveries.complete(id, {
      owner: 'instance-a',
      providerMessageId: ids[0] as string,
      providerMessageIds: ids,
      status: 'accepted',
      at: h.clock.date(),
    });

  describe('deliveries: the ids of a split message', () => {
    it('complete with three ids: each finds the delivery, and get returns them all', async () => {
      const id = await claimedDelivery(h.store, h.clock);
      const completed = await complete(id, SPLIT);
      expect(completed).toMatchObject({
        id,
        providerMessageId: 'wamid.part1',
        providerMessageIds: SPLIT,
      });
      for (const providerMessageId of SPLIT) {
        expect((await find(providerMessageId))?.id).toBe(id);
      }
      expect(await h.store.deliveries.get(id)).toEqual(completed);
      // Matched per adapter, as a single id is.
      expect(await find('wamid.part2', 'other-adapter')).toBeNull();
    });

    it('a message sent as one has providerMessageId and no providerMessageIds field', async () => {
      const listed = await claimedDelivery(h.store, h.clock);
      const unlisted = await claimedDelivery(h.store, h.clock);
      // With its one id listed (as `SendResult.providerMessageIds` may), or without a list.
      await complete(listed, ['SM0001']);
      await h.store.deliveries.complete(unlisted, {
        owner: 'instance-a',
        providerMessageId: 'SM0002',
        status: 'accepted',
        at: h.clock.date(),
      });
      for (const [id, providerMessageId] of [
        [listed, 'SM0001'],
        [unlisted, 'SM0002'],
      ] as const) {
        const stored = await h.store.deliveries.get(id);
        expect(stored?.providerMessageId).toBe(providerMessageId);
        expect(stored).not.toHaveProperty('providerMessageIds');
        expect((await find(providerMessageId))?.id).toBe(id);
      }
    });

    it('the first id is always among the ids, once', async () => {
      const id = await claimedDelivery(h.store, h.clock);
      const completed = await h.store.deliveries.complete(id, {
        owner: 'instance-a',
        providerMessageId: 'SM-1',
        providerMessageIds: ['SM-2', 'SM-2', 'SM-3'],
        status: 'sent',
        at: h.clock.date(),
      });
      expect(completed?.providerMessageIds).toEqual(['SM-1', 'SM-2', 'SM-3']);
    });

    it('complete refuses an empty id with a ValidationError and changes nothing', async () => {
      const id = await claimedDelivery(h.store, h.clock);
      const before = await h.store.deliveries.get(id);
      await expect(complete(id, ['wamid.part1', ''])).rejects.toMatchObject(errorOf('validation'));
      expect(await h.store.deliveries.get(id)).toEqual(before);
      expect(await find('wamid.part1')).toBeNull();
    });

    it('a delivery sent again is found by its new ids only', async () => {
      const id = await claimedDelivery(h.store, h.clock);
      await complete(id, SPLIT);
      await h.store.deliveries.fail(id, {
        error: failure({ retryable: false }),
        at: h.clock.date(),
      });
      await h.store.deliveries.retry(id, h.clock.date());
      await h.store.deliveries.claimDue({ owner: 'instance-a', limit: 10, leaseMs: 30_000 });
      const again = await complete(id, ['wamid.again']);
      expect(again).toMatchObject({ id, providerMessageId: 'wamid.again' });
      expect(again).not.toHaveProperty('providerMessageIds');
      expect((await find('wamid.again'))?.id).toBe(id);
      for (const old of SPLIT) expect(await find(old)).toBeNull();
    });

    it('an erased delivery is found by none of its ids', async () => {
      const { user } = await userWithThread(h.store);
      const { delivery } = await h.store.deliveries.create({
        channel: 'sms',
        adapterId: 'sms-main',
        recipient: '+447700900001',
        payload: { text: 'a long text' },
        origin: 'send',
        userId: user.id,
        nextAttemptAt: h.clock.date(),
        lease: { owner: 'instance-a', ms: 30_000 },
      });
      await complete(delivery.id, SPLIT);
      const exported = await h.store.privacy.exportUser(user.id);
      expect(exported?.deliveries[0]?.providerMessageIds).toEqual(SPLIT);
      await h.store.privacy.eraseUser(user.id);
      for (const providerMessageId of SPLIT) expect(await find(providerMessageId)).toBeNull();
    });
  });
}
