import type { DeliveryFailure, DeliveryStatus, JsonObject } from '@threadline/core';
import { describe, expect, it } from 'vitest';
import { claimedDelivery } from './deliveries';
import { failure, MINUTE, newDelivery } from './fixtures';
import type { StoreHarness } from './harness';

const LEASE = 30_000;

/**
 * `DeliveryStore` history, due time and kept facts: each step's `source` names who moved it (the
 * events are what a host shows to explain a delivery); "due" includes a `nextAttemptAt` of exactly
 * now; a call that leaves out an error or pricing keeps the stored one; a terminal receipt ends
 * the lease as `fail` does.
 */
export function describeDeliveryHistory(h: StoreHarness): void {
  const sources = async (id: string) =>
    (await h.store.deliveries.get(id))?.events.map((event) => [event.status, event.source]);
  /** A delivery `instance-a` claimed and completed with `status`. */
  async function completed(status: 'accepted' | 'sent'): Promise<string> {
    const id = await claimedDelivery(h.store, h.clock, 'instance-a');
    await h.store.deliveries.complete(id, {
      owner: 'instance-a',
      providerMessageId: `p-${id}`,
      status,
      at: h.clock.date(),
    });
    return id;
  }

  describe('deliveries: history, due time and kept facts', () => {
    it('each step names who took it: dispatcher for create, complete and an owned fail, host for retry', async () => {
      const sent = await completed('sent');
      expect(await sources(sent)).toEqual([
        ['queued', 'dispatcher'],
        ['sent', 'dispatcher'],
      ]);

      const failed = await claimedDelivery(h.store, h.clock, 'instance-a');
      await h.store.deliveries.fail(failed, {
        owner: 'instance-a',
        error: failure(),
        at: h.clock.date(),
      });
      await h.store.deliveries.retry(failed, h.clock.date());
      expect(await sources(failed)).toEqual([
        ['queued', 'dispatcher'],
        ['failed', 'dispatcher'],
        ['queued', 'host'],
      ]);
    });

    it('a fail without an owner is a policy decision, and says so with its reason', async () => {
      const { delivery } = await h.store.deliveries.create(
        newDelivery(h.clock, { nextAttemptAt: null }),
      );
      const error = failure({ category: 'opted_out', code: 'opted_out', message: 'STOP' });
      await h.store.deliveries.fail(delivery.id, { error, at: h.clock.date(), status: 'expired' });
      const events = (await h.store.deliveries.get(delivery.id))?.events;
      expect(events?.map((event) => [event.status, event.source])).toEqual([
        ['queued', 'dispatcher'],
        ['expired', 'policy'],
      ]);
      expect(events?.at(-1)?.detail).toBe('STOP');
    });

    it('a delivery due exactly now is due: counted by outboxStats and claimed by claimDue', async () => {
      const { delivery: now } = await h.store.deliveries.create(
        newDelivery(h.clock, { nextAttemptAt: h.clock.date() }),
      );
      await h.store.deliveries.create(
        newDelivery(h.clock, { nextAttemptAt: new Date(h.clock.now() + 1) }),
      );
      const stats = h.store.deliveries.outboxStats?.bind(h.store.deliveries);
      if (stats !== undefined) {
        expect(await stats()).toEqual({ due: 1, oldestDueAt: h.clock.date() });
      }
      const claimed = await h.store.deliveries.claimDue({ owner: 'a', limit: 10, leaseMs: LEASE });
      expect(claimed.map((delivery) => delivery.id)).toEqual([now.id]);
    });

    it('outboxStats (when the store has it) reports the earliest due time whatever the creation order', async () => {
      const stats = h.store.deliveries.outboxStats?.bind(h.store.deliveries);
      // Optional: a store without it simply reports no outbox gauges.
      if (stats === undefined) return;
      const ago = (minutes: number) => new Date(h.clock.now() - minutes * MINUTE);
      for (const minutes of [2, 7, 1, 5]) {
        await h.store.deliveries.create(newDelivery(h.clock, { nextAttemptAt: ago(minutes) }));
      }
      expect(await stats()).toEqual({ due: 4, oldestDueAt: ago(7) });
    });

    it('reschedule without an error keeps the error the last attempt recorded', async () => {
      const id = await claimedDelivery(h.store, h.clock, 'instance-a');
      const error = failure({ category: 'throttled', code: '429', message: 'slow down' });
      await h.store.deliveries.reschedule(id, { owner: 'instance-a', at: h.clock.date(), error });
      await h.store.deliveries.claimDue({ owner: 'instance-b', limit: 10, leaseMs: LEASE });
      const later = new Date(h.clock.now() + MINUTE);
      const kept = await h.store.deliveries.reschedule(id, { owner: 'instance-b', at: later });
      expect(kept).toMatchObject({ status: 'queued', nextAttemptAt: later, error });
      expect((await h.store.deliveries.get(id))?.error).toEqual(error);
    });

    it('a status report without pricing or error keeps the ones already stored', async () => {
      const id = await completed('accepted');
      const pricing = { billable: true, category: 'utility' };
      const error = failure({ category: 'provider', code: '131000', message: 'late failure' });
      const reports: Array<{
        status: DeliveryStatus;
        pricing?: JsonObject;
        error?: DeliveryFailure;
      }> = [
        { status: 'sent', pricing },
        { status: 'delivered' },
        { status: 'failed', error },
        { status: 'read' },
      ];
      for (const report of reports) {
        await h.store.deliveries.updateStatus(id, {
          ...report,
          at: h.clock.date(),
          source: 'provider',
        });
      }
      expect(await h.store.deliveries.get(id)).toMatchObject({ status: 'failed', pricing, error });
    });

    it('a terminal status report ends the lease and the schedule, like fail', async () => {
      const id = await claimedDelivery(h.store, h.clock, 'instance-a');
      const { delivery } = await h.store.deliveries.updateStatus(id, {
        status: 'failed',
        at: h.clock.date(),
        source: 'provider',
        error: failure(),
      });
      expect(delivery).toMatchObject({ status: 'failed', lease: null, nextAttemptAt: null });
      expect(await h.store.deliveries.get(id)).toMatchObject({ lease: null, nextAttemptAt: null });
      expect(
        await h.store.deliveries.reschedule(id, { owner: 'instance-a', at: h.clock.date() }),
      ).toBeNull();
    });
  });
}
