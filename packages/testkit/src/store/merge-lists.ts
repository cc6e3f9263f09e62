import { describe, expect, it } from 'vitest';
import { MINUTE, newDelivery, PHONE_A, PHONE_B, PHONE_C } from './fixtures';
import type { StoreHarness } from './harness';

/**
 * A user's lists after `users.merge`: what moves in from the merged user takes its place by age
 * among the survivor's own records (not after them), and a merged user with nothing to move
 * leaves the survivor's records as they were.
 */
export function describeMergeLists(h: StoreHarness): void {
  describe('lists after a merge', () => {
    it("listByUser lists identities and threads oldest first, those moved in by a merge among the survivor's own", async () => {
      const older = await h.store.identities.resolve({
        channel: 'sms',
        address: PHONE_A,
        kind: 'phone',
      });
      const olderThread = await h.store.threads.ensure({ userId: older.user.id, agentId: 'sales' });
      h.clock.advance(MINUTE);
      const newer = await h.store.identities.resolve({
        channel: 'sms',
        address: PHONE_B,
        kind: 'phone',
      });
      const newerThread = await h.store.threads.ensure({
        userId: newer.user.id,
        agentId: 'support',
      });

      await h.store.users.merge({ into: newer.user.id, from: older.user.id });

      const identities = await h.store.identities.listByUser(newer.user.id);
      expect(identities.map((identity) => identity.address)).toEqual([PHONE_A, PHONE_B]);
      const threads = await h.store.threads.listByUser(newer.user.id);
      expect(threads.map((thread) => thread.id)).toEqual([olderThread.id, newerThread.id]);
    });

    it("merging a user who has no records keeps the survivor's identities, threads, deliveries and held messages", async () => {
      // Someone else's identity first, so the survivor's are not the store's very first records.
      await h.store.identities.resolve({ channel: 'sms', address: PHONE_A, kind: 'phone' });
      const { user, identity } = await h.store.identities.resolve({
        channel: 'sms',
        address: PHONE_C,
        kind: 'phone',
      });
      h.clock.advance(MINUTE);
      const second = await h.store.identities.resolve({
        channel: 'whatsapp',
        address: PHONE_C,
        kind: 'phone',
      });
      expect(second.user.id).toBe(user.id);
      const thread = await h.store.threads.ensure({ userId: user.id, agentId: 'support' });
      const { delivery } = await h.store.deliveries.create(
        newDelivery(h.clock, { userId: user.id, recipient: PHONE_C }),
      );
      const held = await h.store.held.hold({
        userId: user.id,
        channel: 'sms',
        deliveryId: delivery.id,
        heldAt: h.clock.date(),
      });
      const empty = await h.store.users.create({});

      await h.store.users.merge({ into: user.id, from: empty.id });

      expect(await h.store.identities.listByUser(user.id)).toEqual([identity, second.identity]);
      expect((await h.store.threads.listByUser(user.id)).map((t) => t.id)).toEqual([thread.id]);
      expect((await h.store.deliveries.list({ userId: user.id })).map((d) => d.id)).toEqual([
        delivery.id,
      ]);
      expect(await h.store.held.list(user.id)).toEqual([held]);
    });
  });
}
