import type { NewThreadEntry } from '@threadline/core';
import { describe, expect, it } from 'vitest';
import { failure, newDelivery, userWithThread } from './fixtures';
import type { StoreHarness } from './harness';

/** What a `NotFoundError` for `kind` and `id` carries: its category, kind, id and code. */
function notFound(kind: string, id?: string): Record<string, unknown> {
  return {
    category: 'not_found',
    kind,
    code: `${kind}_not_found`,
    ...(id === undefined ? {} : { id }),
  };
}

/**
 * Deliveries asked for by an id that names nothing: the lease-holder calls answer `null` (as for
 * a lost lease), and a `NotFoundError` says what is missing (its `kind`, `id` and `code`).
 * `entries` is whether the store writes `threadEntry` with the delivery.
 */
export function describeDeliveryNotFound(h: StoreHarness, entries: boolean): void {
  const entry = (): Omit<NewThreadEntry, 'deliveryId'> => ({
    direction: 'outbound',
    at: h.clock.date(),
    text: 'Your order has shipped',
    channel: 'sms',
  });

  describe('deliveries: unknown ids', () => {
    it('complete, reschedule and fail answer null for an unknown delivery', async () => {
      const owner = 'instance-a';
      const at = h.clock.date();
      const { deliveries } = h.store;
      const id = 'no-such-delivery';
      expect(
        await deliveries.complete(id, { owner, providerMessageId: 'p-1', status: 'accepted', at }),
      ).toBeNull();
      expect(await deliveries.reschedule(id, { owner, at })).toBeNull();
      expect(await deliveries.fail(id, { owner, error: failure(), at })).toBeNull();
      expect(await deliveries.fail(id, { error: failure(), at })).toBeNull();
    });

    it('updateStatus names the missing delivery in its NotFoundError', async () => {
      await expect(
        h.store.deliveries.updateStatus('no-such-delivery', {
          status: 'delivered',
          at: h.clock.date(),
          source: 'provider',
        }),
      ).rejects.toMatchObject(notFound('delivery', 'no-such-delivery'));
    });

    if (!entries) return;

    it('create with an entry for an unknown thread names that thread in its NotFoundError', async () => {
      const { user } = await userWithThread(h.store);
      await expect(
        h.store.deliveries.create(
          newDelivery(h.clock, {
            userId: user.id,
            threadId: 'no-such-thread',
            threadEntry: entry(),
          }),
        ),
      ).rejects.toMatchObject(notFound('thread', 'no-such-thread'));
      // No thread at all: still a missing thread, with no id to name.
      await expect(
        h.store.deliveries.create(newDelivery(h.clock, { userId: user.id, threadEntry: entry() })),
      ).rejects.toMatchObject(notFound('thread'));
      expect(await h.store.deliveries.list()).toEqual([]);
    });
  });
}
