import { describe, expect, it } from 'vitest';
import { newDelivery, PHONE_A, PHONE_B, userWithThread } from './fixtures';
import type { StoreHarness } from './harness';

/** `PrivacyStore.exportUser`: which deliveries are the user's. */
export function describePrivacyExport(h: StoreHarness): void {
  describe('privacy: export', () => {
    it("exportUser includes the deliveries recorded in the user's threads, whoever they name", async () => {
      const ann = await userWithThread(h.store, { phone: PHONE_A });
      const bob = await h.store.users.create({ phoneNumbers: [PHONE_B] });
      const inThread = await h.store.deliveries.create(
        newDelivery(h.clock, { threadId: ann.threadId, recipient: PHONE_A }),
      );
      const toBob = await h.store.deliveries.create(
        newDelivery(h.clock, { userId: bob.id, recipient: PHONE_B }),
      );
      const data = await h.store.privacy.exportUser(ann.user.id);
      expect(data?.deliveries.map((delivery) => delivery.id)).toEqual([inThread.delivery.id]);
      const other = await h.store.privacy.exportUser(bob.id);
      expect(other?.deliveries.map((delivery) => delivery.id)).toEqual([toBob.delivery.id]);
    });
  });
}
