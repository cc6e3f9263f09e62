import type { DeliveryCompletion, DeliveryStore } from '@threadline/core';
import { describe, expect, it } from 'vitest';
import { errorOf, newDelivery, outcomeValue } from './fixtures';
import type { StoreHarness } from './harness';

const LEASE = 30_000;

/**
 * `DeliveryStore.completeMany` (group commit for the answers of sends): each item as `complete`
 * would record it, one after another in item order. Declared with the suite's `deliveryBatches`
 * option, as `createMany` is: `false` checks that the store leaves it out.
 */
export function describeDeliveryCompletions(h: StoreHarness, offered: boolean): void {
  describe('deliveries: completeMany (group commit)', () => {
    if (!offered) {
      it('is not offered (the core completes each delivery with complete)', () => {
        expect(h.store.deliveries.completeMany).toBeUndefined();
      });
      return;
    }

    function completeMany(): NonNullable<DeliveryStore['completeMany']> {
      const method = h.store.deliveries.completeMany;
      if (method === undefined) throw new Error('store.deliveries.completeMany is missing');
      return method.bind(h.store.deliveries);
    }

    /** `count` deliveries created leased to `owner`, as the runtime creates what it sends. */
    async function leased(count: number, owner = 'instance-a'): Promise<string[]> {
      const ids: string[] = [];
      for (let index = 0; index < count; index += 1) {
        const { delivery } = await h.store.deliveries.create(
          newDelivery(h.clock, { lease: { owner, ms: LEASE } }),
        );
        ids.push(delivery.id);
      }
      return ids;
    }

    const done = (
      providerMessageId: string,
      overrides: Partial<DeliveryCompletion> = {},
    ): DeliveryCompletion => ({
      owner: 'instance-a',
      providerMessageId,
      status: 'accepted',
      at: h.clock.date(),
      ...overrides,
    });

    it('records each item as complete would, answering in item order', async () => {
      const [a, b, c] = await leased(3);
      const outcomes = await completeMany()([
        { id: c as string, completion: done('wamid.c', { status: 'sent' }) },
        { id: a as string, completion: done('wamid.a') },
        {
          id: b as string,
          completion: done('wamid.b1', { providerMessageIds: ['wamid.b1', 'wamid.b2'] }),
        },
      ]);
      const [forC, forA, forB] = outcomes.map(outcomeValue);
      expect(forC).toMatchObject({
        id: c,
        status: 'sent',
        providerMessageId: 'wamid.c',
        lease: null,
      });
      expect(forA).toMatchObject({ id: a, status: 'accepted', providerMessageId: 'wamid.a' });
      expect(forB?.providerMessageIds).toEqual(['wamid.b1', 'wamid.b2']);
      expect(forA?.events.map((event) => event.status)).toEqual(['queued', 'accepted']);
      for (const delivery of [forA, forB, forC]) {
        expect(await h.store.deliveries.get(delivery?.id as string)).toEqual(delivery);
      }
      const found = await h.store.deliveries.findByProviderMessageId({
        adapterId: 'sms-main',
        providerMessageId: 'wamid.b2',
      });
      expect(found?.id).toBe(b);
    });

    it('answers null for an item whose lease another owner holds, and changes nothing of it', async () => {
      const [mine] = await leased(1);
      const [theirs] = await leased(1, 'instance-b');
      const before = await h.store.deliveries.get(theirs as string);
      const outcomes = await completeMany()([
        { id: theirs as string, completion: done('wamid.x') },
        { id: mine as string, completion: done('wamid.y') },
      ]);
      expect(outcomeValue(outcomes[0])).toBeNull();
      expect(outcomeValue(outcomes[1])).toMatchObject({ status: 'accepted' });
      expect(await h.store.deliveries.get(theirs as string)).toEqual(before);
    });

    it('an item complete would refuse fails alone and changes nothing; the others are recorded', async () => {
      const [bad, good] = await leased(2);
      const outcomes = await completeMany()([
        { id: bad as string, completion: done('wamid.p', { providerMessageIds: ['wamid.p', ''] }) },
        { id: good as string, completion: done('wamid.q') },
      ]);
      expect(outcomes[0]).toMatchObject({ ok: false, error: errorOf('validation') });
      expect(await h.store.deliveries.get(bad as string)).toMatchObject({
        status: 'queued',
        lease: { owner: 'instance-a' },
      });
      expect(outcomeValue(outcomes[1])).toMatchObject({ status: 'accepted' });
    });

    it('keeps a status a receipt moved further, and answers a repeated item as complete does', async () => {
      const [early, twice] = await leased(2);
      await h.store.deliveries.updateStatus(early as string, {
        status: 'delivered',
        at: h.clock.date(),
        source: 'provider',
      });
      const outcomes = await completeMany()([
        { id: early as string, completion: done('wamid.e') },
        { id: twice as string, completion: done('wamid.t') },
        { id: twice as string, completion: done('wamid.t') },
      ]);
      expect(outcomeValue(outcomes[0])).toMatchObject({
        status: 'delivered',
        providerMessageId: 'wamid.e',
      });
      const first = outcomeValue(outcomes[1]);
      expect(first).toMatchObject({ status: 'accepted', lease: null });
      // The same complete again (its answer lost): it already happened, so the delivery as it is.
      const repeat = await h.store.deliveries.complete(twice as string, done('wamid.t'));
      expect(outcomeValue(outcomes[2])).toEqual(repeat);
      expect(first?.events.filter((event) => event.status === 'accepted')).toHaveLength(1);
    });

    it('an empty batch answers nothing', async () => {
      expect(await completeMany()([])).toEqual([]);
    });
  });
}
