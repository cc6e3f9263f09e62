import { describe, expect, it } from 'vitest';
import { newDelivery, userWithThread } from './fixtures';
import type { StoreHarness } from './harness';

/**
 * `PrivacyStore` and the deliveries recorded in a user's threads but addressed to no user (a send
 * by thread): they are the user's data too, so export includes them and erasure removes them. A
 * delivery addressed to one user in another's thread belongs to both: erasing either removes it
 * from the other's export as well.
 */
export function describePrivacyThreadDeliveries(h: StoreHarness): void {
  describe('privacy: deliveries recorded in the user’s threads', () => {
    it('exportUser and eraseUser take a delivery recorded in the user’s thread, addressed to no user', async () => {
      const { user, threadId } = await userWithThread(h.store);
      const { delivery } = await h.store.deliveries.create(newDelivery(h.clock, { threadId }));
      const exported = await h.store.privacy.exportUser(user.id);
      expect(exported?.deliveries.map((item) => item.id)).toEqual([delivery.id]);
      const report = await h.store.privacy.eraseUser(user.id);
      expect(report?.deliveries).toBe(1);
      expect(await h.store.deliveries.get(delivery.id)).toBeNull();
    });

    it('erasing the addressee of a delivery in another user’s thread removes it from that user’s export', async () => {
      const owner = await userWithThread(h.store);
      const { user: addressee } = await userWithThread(h.store);
      const { delivery } = await h.store.deliveries.create(
        newDelivery(h.clock, { userId: addressee.id, threadId: owner.threadId }),
      );
      expect((await h.store.privacy.exportUser(owner.user.id))?.deliveries).toEqual([delivery]);
      expect((await h.store.privacy.eraseUser(addressee.id))?.deliveries).toBe(1);
      expect((await h.store.privacy.exportUser(owner.user.id))?.deliveries).toEqual([]);
      expect((await h.store.privacy.eraseUser(owner.user.id))?.deliveries).toBe(0);
    });
  });
}
