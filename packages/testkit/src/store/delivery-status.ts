import { DELIVERY_STATUSES, type DeliveryStatus } from '@threadline/core';
import { describe, expect, it } from 'vitest';
import { claimedDelivery } from './deliveries';
import { failure } from './fixtures';
import type { StoreHarness } from './harness';

/** `DeliveryStore.updateStatus`: statuses only move forward. */
export function describeDeliveryStatus(h: StoreHarness): void {
  /** A delivery the dispatcher handed to the provider (`accepted`). */
  async function accepted(): Promise<string> {
    const id = await claimedDelivery(h.store, h.clock);
    await h.store.deliveries.complete(id, {
      owner: 'instance-a',
      providerMessageId: `p-${id}`,
      status: 'accepted',
      at: h.clock.date(),
    });
    return id;
  }
  const report = (id: string, status: DeliveryStatus) =>
    h.store.deliveries.updateStatus(id, { status, at: h.clock.date(), source: 'provider' });

  describe('deliveries: status only moves forward', () => {
    it('a status report that moves forward is applied and recorded in the history', async () => {
      const id = await accepted();
      const sent = await h.store.deliveries.updateStatus(id, {
        status: 'sent',
        at: h.clock.date(),
        source: 'provider',
        detail: 'carrier accepted',
      });
      expect(sent.changed).toBe(true);
      expect(sent.delivery.status).toBe('sent');
      expect(sent.delivery.events.at(-1)).toEqual({
        status: 'sent',
        at: h.clock.date(),
        source: 'provider',
        detail: 'carrier accepted',
      });
      const delivered = await report(id, 'delivered');
      expect(delivered).toMatchObject({ changed: true, delivery: { status: 'delivered' } });
      expect(delivered.delivery.events.map((event) => event.status).slice(-3)).toEqual([
        'accepted',
        'sent',
        'delivered',
      ]);
      expect((await h.store.deliveries.get(id))?.status).toBe('delivered');
    });

    it('a status may skip steps (sent straight to read)', async () => {
      const id = await accepted();
      expect((await report(id, 'read')).delivery.status).toBe('read');
    });

    it('a late sent after read changes nothing and adds no event', async () => {
      const id = await accepted();
      await report(id, 'read');
      const before = await h.store.deliveries.get(id);
      h.clock.advance(1_000);
      const late = await report(id, 'sent');
      expect(late.changed).toBe(false);
      expect(late.delivery).toEqual(before);
      expect(await h.store.deliveries.get(id)).toEqual(before);
      expect((await report(id, 'read')).changed).toBe(false);
    });

    it('failed is terminal: no report leaves it, only retry does', async () => {
      const id = await accepted();
      const failed = await h.store.deliveries.updateStatus(id, {
        status: 'failed',
        at: h.clock.date(),
        source: 'provider',
        error: failure({ category: 'unreachable', message: 'Undeliverable', retryable: false }),
      });
      expect(failed).toMatchObject({
        changed: true,
        delivery: { status: 'failed', error: { message: 'Undeliverable' } },
      });
      for (const status of DELIVERY_STATUSES) {
        expect((await report(id, status)).changed).toBe(false);
      }
      expect((await h.store.deliveries.get(id))?.status).toBe('failed');
      expect((await h.store.deliveries.retry(id, h.clock.date()))?.status).toBe('queued');
    });

    it('pricing reported with a status is stored', async () => {
      const id = await accepted();
      const priced = await h.store.deliveries.updateStatus(id, {
        status: 'delivered',
        at: h.clock.date(),
        source: 'provider',
        pricing: { billable: true, category: 'utility' },
      });
      expect(priced.delivery.pricing).toEqual({ billable: true, category: 'utility' });
      expect((await h.store.deliveries.get(id))?.pricing).toEqual({
        billable: true,
        category: 'utility',
      });
    });

    it('pricing on a report that does not move the status is stored; status and history stay', async () => {
      const id = await accepted();
      await report(id, 'read');
      const before = await h.store.deliveries.get(id);
      h.clock.advance(1_000);
      // Meta's `delivered` with the pricing can arrive after `read`.
      const late = await h.store.deliveries.updateStatus(id, {
        status: 'delivered',
        at: h.clock.date(),
        source: 'provider',
        pricing: { billable: true, category: 'marketing' },
      });
      expect(late.changed).toBe(false);
      const stored = await h.store.deliveries.get(id);
      expect(late.delivery).toEqual(stored);
      expect(stored?.pricing).toEqual({ billable: true, category: 'marketing' });
      expect(stored).toMatchObject({ status: 'read', events: before?.events });
      expect(stored).not.toHaveProperty('error');
    });

    it('concurrent out-of-order reports end at the furthest status, each recorded at most once', async () => {
      const id = await accepted();
      const storm: DeliveryStatus[] = [
        'sent',
        'read',
        'delivered',
        'sent',
        'delivered',
        'read',
        'sent',
      ];
      const results = await Promise.all(storm.map((status) => report(id, status)));
      const final = await h.store.deliveries.get(id);
      expect(final?.status).toBe('read');
      const statuses = final?.events.map((event) => event.status) ?? [];
      const order = ['queued', 'accepted', 'sent', 'delivered', 'read'];
      const progress = statuses.map((status) => order.indexOf(status));
      // The history only ever moves forward and holds no status twice.
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
      expect(new Set(statuses).size).toBe(statuses.length);
      expect(results.filter((result) => result.changed).length).toBe(
        statuses.length - statuses.indexOf('accepted') - 1,
      );
    });
  });
}
