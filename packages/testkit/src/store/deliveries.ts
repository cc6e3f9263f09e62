import {
  DELIVERY_LIST_DEFAULT_LIMIT,
  DELIVERY_LIST_MAX_LIMIT,
  type ThreadStore,
} from '@threadline/core';
import { describe, expect, it } from 'vitest';
import type { FakeClock } from '../fake-clock';
import { errorOf, newDelivery, PHONE_A, PHONE_B } from './fixtures';
import type { StoreHarness } from './harness';

/** Creates a delivery, claims it as `owner` and returns its id (ready to complete or fail). */
export async function claimedDelivery(
  store: ThreadStore,
  clock: FakeClock,
  owner = 'instance-a',
): Promise<string> {
  const { delivery } = await store.deliveries.create(newDelivery(clock));
  const claimed = await store.deliveries.claimDue({ owner, limit: 100, leaseMs: 30_000 });
  if (!claimed.some((item) => item.id === delivery.id))
    throw new Error('the delivery was not claimed');
  return delivery.id;
}

/** `DeliveryStore`: create, get, getByIdempotencyKey, findByProviderMessageId, list. */
export function describeDeliveries(h: StoreHarness): void {
  describe('deliveries: the outbox records', () => {
    it('create makes a queued delivery with no attempts and no lease', async () => {
      const input = newDelivery(h.clock, {
        agentId: 'support',
        userId: 'user-1',
        threadId: 'thread-1',
        templateName: 'order_update',
        origin: 'template',
      });
      const { delivery, created } = await h.store.deliveries.create(input);
      expect(created).toBe(true);
      expect(delivery).toMatchObject({
        ...input,
        status: 'queued',
        attempts: 0,
        lease: null,
        createdAt: h.clock.date(),
        updatedAt: h.clock.date(),
      });
      expect(typeof delivery.id).toBe('string');
      expect(Array.isArray(delivery.events)).toBe(true);
      expect(await h.store.deliveries.get(delivery.id)).toEqual(delivery);
    });

    it('get returns null for an unknown delivery', async () => {
      expect(await h.store.deliveries.get('no-such-delivery')).toBeNull();
    });

    it('create with a used idempotency key creates nothing and returns the first delivery', async () => {
      const first = await h.store.deliveries.create(
        newDelivery(h.clock, { idempotencyKey: 'order-42' }),
      );
      const second = await h.store.deliveries.create(
        newDelivery(h.clock, { idempotencyKey: 'order-42', payload: { text: 'a different text' } }),
      );
      expect(second.created).toBe(false);
      expect(second.delivery).toEqual(first.delivery);
      expect(await h.store.deliveries.list()).toHaveLength(1);
    });

    it('20 concurrent creates with one idempotency key make one delivery', async () => {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          h.store.deliveries.create(
            newDelivery(h.clock, { idempotencyKey: 'storm', payload: { text: `try ${index}` } }),
          ),
        ),
      );
      expect(results.filter((result) => result.created)).toHaveLength(1);
      expect(new Set(results.map((result) => result.delivery.id)).size).toBe(1);
      expect(await h.store.deliveries.list()).toHaveLength(1);
    });

    it('getByIdempotencyKey finds the delivery, or null for an unused key', async () => {
      const { delivery } = await h.store.deliveries.create(
        newDelivery(h.clock, { idempotencyKey: 'k-1' }),
      );
      expect(await h.store.deliveries.getByIdempotencyKey('k-1')).toEqual(delivery);
      expect(await h.store.deliveries.getByIdempotencyKey('k-2')).toBeNull();
    });

    it('findByProviderMessageId finds a completed delivery by adapter and provider id', async () => {
      const id = await claimedDelivery(h.store, h.clock);
      await h.store.deliveries.complete(id, {
        owner: 'instance-a',
        providerMessageId: 'SM0001',
        status: 'accepted',
        at: h.clock.date(),
      });
      const found = await h.store.deliveries.findByProviderMessageId({
        adapterId: 'sms-main',
        providerMessageId: 'SM0001',
      });
      expect(found).toMatchObject({ id, providerMessageId: 'SM0001' });
      expect(
        await h.store.deliveries.findByProviderMessageId({
          adapterId: 'other',
          providerMessageId: 'SM0001',
        }),
      ).toBeNull();
      expect(
        await h.store.deliveries.findByProviderMessageId({
          adapterId: 'sms-main',
          providerMessageId: 'SM0002',
        }),
      ).toBeNull();
    });

    it('list filters by user, status, channel and creation time', async () => {
      const early = await h.store.deliveries.create(
        newDelivery(h.clock, { userId: 'ann', channel: 'sms' }),
      );
      h.clock.advance(1_000);
      const since = h.clock.date();
      const ann = await h.store.deliveries.create(
        newDelivery(h.clock, { userId: 'ann', channel: 'whatsapp' }),
      );
      const bob = await h.store.deliveries.create(
        newDelivery(h.clock, { userId: 'bob', channel: 'sms', recipient: PHONE_B }),
      );
      await h.store.deliveries.fail(bob.delivery.id, {
        error: { category: 'opted_out', code: 'opted_out', message: 'STOP', retryable: false },
        at: h.clock.date(),
      });
      const ids = async (query: Parameters<ThreadStore['deliveries']['list']>[0]) =>
        (await h.store.deliveries.list(query)).map((delivery) => delivery.id).sort();

      expect(await ids({ userId: 'ann' })).toEqual([early.delivery.id, ann.delivery.id].sort());
      expect(await ids({ channel: 'sms' })).toEqual([early.delivery.id, bob.delivery.id].sort());
      expect(await ids({ status: 'failed' })).toEqual([bob.delivery.id]);
      expect(await ids({ since })).toEqual([ann.delivery.id, bob.delivery.id].sort());
      expect(await ids({ userId: 'ann', channel: 'sms', status: 'queued' })).toEqual([
        early.delivery.id,
      ]);
      expect(await ids({ userId: 'carol' })).toEqual([]);
    });

    it(`list returns newest first, ${DELIVERY_LIST_DEFAULT_LIMIT} by default and at most ${DELIVERY_LIST_MAX_LIMIT}`, async () => {
      const created: string[] = [];
      for (let index = 0; index <= DELIVERY_LIST_MAX_LIMIT; index += 1) {
        const { delivery } = await h.store.deliveries.create(
          newDelivery(h.clock, { recipient: PHONE_A }),
        );
        created.push(delivery.id);
        h.clock.advance(1);
      }
      const newestFirst = [...created].reverse();
      const ids = (list: Array<{ id: string }>) => list.map((delivery) => delivery.id);
      expect(ids(await h.store.deliveries.list())).toEqual(
        newestFirst.slice(0, DELIVERY_LIST_DEFAULT_LIMIT),
      );
      expect(ids(await h.store.deliveries.list({ limit: 3 }))).toEqual(newestFirst.slice(0, 3));
      expect(ids(await h.store.deliveries.list({ limit: DELIVERY_LIST_MAX_LIMIT + 100 }))).toEqual(
        newestFirst.slice(0, DELIVERY_LIST_MAX_LIMIT),
      );
    });

    it('create with a lease makes it already claimed by that owner, counting the first attempt', async () => {
      const { delivery } = await h.store.deliveries.create(
        newDelivery(h.clock, { lease: { owner: 'instance-a', ms: 30_000 } }),
      );
      expect(delivery).toMatchObject({
        status: 'queued',
        attempts: 1,
        lease: { owner: 'instance-a', expiresAt: new Date(h.clock.now() + 30_000) },
      });
      expect(delivery).not.toHaveProperty('lease.ms');
      expect(
        await h.store.deliveries.claimDue({ owner: 'instance-b', limit: 10, leaseMs: 30_000 }),
      ).toEqual([]);
      // The creator crashed before sending: once the lease expires another instance takes over.
      h.clock.advance(30_001);
      const [taken] = await h.store.deliveries.claimDue({
        owner: 'instance-b',
        limit: 10,
        leaseMs: 30_000,
      });
      expect(taken).toMatchObject({ id: delivery.id, attempts: 2, lease: { owner: 'instance-b' } });
    });

    it('a repeated create with a lease never takes over the first delivery or its lease', async () => {
      const results = await Promise.all(
        ['a', 'b', 'c', 'd', 'e'].map((owner) =>
          h.store.deliveries.create(
            newDelivery(h.clock, { idempotencyKey: 'once', lease: { owner, ms: 30_000 } }),
          ),
        ),
      );
      const winner = results.find((result) => result.created);
      expect(results.filter((result) => result.created)).toHaveLength(1);
      for (const result of results) {
        expect(result.delivery).toMatchObject({ id: winner?.delivery.id, attempts: 1 });
        expect(result.delivery.lease?.owner).toBe(winner?.delivery.lease?.owner);
      }
    });

    it('updateStatus throws NotFoundError for an unknown delivery', async () => {
      await expect(
        h.store.deliveries.updateStatus('no-such-delivery', {
          status: 'delivered',
          at: h.clock.date(),
          source: 'provider',
        }),
      ).rejects.toMatchObject(errorOf('not_found'));
    });
  });
}
