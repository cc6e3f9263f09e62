import { describe, expect, it } from 'vitest';
import { MINUTE } from './fixtures';
import type { StoreHarness } from './harness';

/** `HeldMessageStore`: hold, release, list. */
export function describeHeld(h: StoreHarness): void {
  async function holdAt(userId: string, channel: string, minutesAgo: number, deliveryId: string) {
    return h.store.held.hold({
      userId,
      channel,
      deliveryId,
      heldAt: new Date(h.clock.now() - minutesAgo * MINUTE),
    });
  }

  describe('held messages', () => {
    it('hold records a held message; list returns the user’s, oldest first', async () => {
      const user = await h.store.users.create({});
      const newer = await holdAt(user.id, 'whatsapp', 1, 'd-newer');
      const older = await holdAt(user.id, 'whatsapp', 5, 'd-older');
      expect(newer).toMatchObject({
        userId: user.id,
        channel: 'whatsapp',
        deliveryId: 'd-newer',
        heldAt: new Date(h.clock.now() - MINUTE),
      });
      expect(typeof newer.id).toBe('string');
      expect(await h.store.held.list(user.id)).toEqual([older, newer]);
    });

    it('release returns the user’s messages on that channel, oldest first, and only once', async () => {
      const user = await h.store.users.create({});
      const second = await holdAt(user.id, 'whatsapp', 2, 'd2');
      const first = await holdAt(user.id, 'whatsapp', 3, 'd1');
      const third = await holdAt(user.id, 'whatsapp', 1, 'd3');
      expect(await h.store.held.release({ userId: user.id, channel: 'whatsapp' })).toEqual([
        first,
        second,
        third,
      ]);
      expect(await h.store.held.release({ userId: user.id, channel: 'whatsapp' })).toEqual([]);
      expect(await h.store.held.list(user.id)).toEqual([]);
    });

    it('release leaves other users and other channels alone', async () => {
      const ann = await h.store.users.create({});
      const bob = await h.store.users.create({});
      await holdAt(ann.id, 'whatsapp', 1, 'ann-wa');
      const annMessenger = await holdAt(ann.id, 'messenger', 1, 'ann-fb');
      const bobWhatsapp = await holdAt(bob.id, 'whatsapp', 1, 'bob-wa');
      const released = await h.store.held.release({ userId: ann.id, channel: 'whatsapp' });
      expect(released.map((message) => message.deliveryId)).toEqual(['ann-wa']);
      expect(await h.store.held.list(ann.id)).toEqual([annMessenger]);
      expect(await h.store.held.list(bob.id)).toEqual([bobWhatsapp]);
    });

    it('20 parallel releases return each held message exactly once', async () => {
      const user = await h.store.users.create({});
      const held = await Promise.all(
        Array.from({ length: 30 }, (_, index) =>
          holdAt(user.id, 'whatsapp', 30 - index, `d${index}`),
        ),
      );
      const results = await Promise.all(
        Array.from({ length: 20 }, () =>
          h.store.held.release({ userId: user.id, channel: 'whatsapp' }),
        ),
      );
      const released = results.flat().map((message) => message.id);
      expect(released).toHaveLength(held.length);
      expect(new Set(released)).toEqual(new Set(held.map((message) => message.id)));
      // Whoever got messages got them oldest first.
      for (const batch of results) {
        const times = batch.map((message) => message.heldAt.getTime());
        expect(times).toEqual([...times].sort((a, b) => a - b));
      }
    });

    it('release with nothing held returns an empty list', async () => {
      const user = await h.store.users.create({});
      expect(await h.store.held.release({ userId: user.id, channel: 'whatsapp' })).toEqual([]);
      expect(await h.store.held.list(user.id)).toEqual([]);
    });
  });
}
