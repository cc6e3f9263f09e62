import type { NewThreadEntry } from '@threadline/core';
import { describe, expect, it } from 'vitest';
import { errorOf, newDelivery, userWithThread } from './fixtures';
import type { StoreHarness } from './harness';

/**
 * `deliveries.create` with `threadEntry`: the delivery and its thread entry commit together or not
 * at all ("one commit per fact"). With `supported: false` the store must ignore the field (return
 * no `entry`), so the runtime appends the entry itself.
 */
export function describeDeliveryEntry(h: StoreHarness, supported: boolean): void {
  const entry = (): Omit<NewThreadEntry, 'deliveryId'> => ({
    direction: 'outbound',
    at: h.clock.date(),
    text: 'Your order has shipped',
    channel: 'sms',
    adapterId: 'sms-main',
  });

  describe('deliveries: create with its thread entry', () => {
    if (!supported) {
      it('create ignores threadEntry (the runtime appends the entry itself)', async () => {
        const { user, threadId } = await userWithThread(h.store);
        const made = await h.store.deliveries.create(
          newDelivery(h.clock, { userId: user.id, threadId, threadEntry: entry() }),
        );
        expect(made.entry).toBeUndefined();
        expect(made.delivery).not.toHaveProperty('threadEntry');
      });
      return;
    }

    it('create writes the entry with the delivery, pointing at it', async () => {
      const { user, threadId } = await userWithThread(h.store);
      const made = await h.store.deliveries.create(
        newDelivery(h.clock, { userId: user.id, threadId, threadEntry: entry() }),
      );
      expect(made.created).toBe(true);
      expect(made.delivery).not.toHaveProperty('threadEntry');
      const expected = { ...entry(), threadId, seq: 1, deliveryId: made.delivery.id };
      expect(made.entry).toEqual(expected);
      expect(await h.store.threads.read(threadId)).toEqual([expected]);
      expect(await h.store.deliveries.get(made.delivery.id)).toMatchObject({ threadId });
    });

    it('create with an entry for an unknown thread writes neither', async () => {
      const { user } = await userWithThread(h.store);
      await expect(
        h.store.deliveries.create(
          newDelivery(h.clock, {
            userId: user.id,
            threadId: 'no-such-thread',
            idempotencyKey: 'entry-unknown-thread',
            threadEntry: entry(),
          }),
        ),
      ).rejects.toMatchObject(errorOf('not_found'));
      expect(await h.store.deliveries.getByIdempotencyKey('entry-unknown-thread')).toBeNull();
      expect(await h.store.deliveries.list({ userId: user.id })).toEqual([]);
    });

    it('a repeated idempotency key writes no second entry', async () => {
      const { user, threadId } = await userWithThread(h.store);
      const input = newDelivery(h.clock, {
        userId: user.id,
        threadId,
        idempotencyKey: 'entry-once',
        threadEntry: entry(),
      });
      const first = await h.store.deliveries.create(input);
      const again = await h.store.deliveries.create(input);
      expect(again).toMatchObject({ created: false, delivery: { id: first.delivery.id } });
      expect(again.entry).toBeUndefined();
      expect(await h.store.threads.read(threadId)).toHaveLength(1);
    });
  });
}
