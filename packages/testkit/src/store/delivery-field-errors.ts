import { describe, expect, it } from 'vitest';
import { newDelivery } from './fixtures';
import type { StoreHarness } from './harness';

const LEASE = 30_000;

/** Expects `call` to fail with a `ValidationError` whose one issue names `path`. */
async function refusedNaming(call: () => Promise<unknown>, path: string): Promise<void> {
  await expect((async () => call())()).rejects.toMatchObject({
    category: 'validation',
    issues: [expect.objectContaining({ path })],
  });
}

/**
 * A refused count, duration or page size of the outbox (and of the dead letters) names the field
 * it refused in the `ValidationError`'s `issues`, as the core helpers (`checkCount`,
 * `checkDuration`, `pageSize`) do: a caller can tell which argument to fix without parsing the
 * message.
 */
export function describeDeliveryFieldErrors(h: StoreHarness): void {
  describe('deliveries: a refused argument names its field', () => {
    it('create names lease.ms; claimDue names limit and leaseMs; renewLease names leaseMs', async () => {
      const { deliveries } = h.store;
      await refusedNaming(
        () => deliveries.create(newDelivery(h.clock, { lease: { owner: 'instance-a', ms: 0 } })),
        'lease.ms',
      );
      const owner = 'instance-a';
      await refusedNaming(() => deliveries.claimDue({ owner, limit: 0, leaseMs: LEASE }), 'limit');
      await refusedNaming(() => deliveries.claimDue({ owner, limit: 1, leaseMs: 0 }), 'leaseMs');
      const renew = deliveries.renewLease?.bind(deliveries);
      // Optional: a store without it makes the runtime check ownership with `get` instead.
      if (renew === undefined) return;
      const { delivery } = await deliveries.create(
        newDelivery(h.clock, { lease: { owner, ms: LEASE } }),
      );
      await refusedNaming(() => renew({ id: delivery.id, owner, leaseMs: 0 }), 'leaseMs');
    });

    it('deliveries.list and deadLetters.list name limit', async () => {
      await refusedNaming(() => h.store.deliveries.list({ limit: 0 }), 'limit');
      const deadLetters = h.store.deadLetters;
      // Optional part: a store without it has no list to refuse.
      if (deadLetters === undefined) return;
      await refusedNaming(() => deadLetters.list({ limit: 0 }), 'limit');
    });
  });
}
