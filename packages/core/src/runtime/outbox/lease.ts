import type { Delivery } from '../../store/deliveries';
import type { RuntimeContext } from '../context';

/**
 * How many times per lease length a waiting attempt renews its lease: three means a renewal can
 * be late by two thirds of the lease (a busy event loop, a slow store) before the lease lapses.
 */
export const LEASE_RENEWALS_PER_LEASE = 3;

/**
 * Waits `waitMs` for the delivery's rate slot while keeping its lease, then makes sure this
 * instance still owns it, right before the provider call ("a lease covers the whole attempt").
 * Returns `false` when the lease was lost: another instance claimed the delivery and will send
 * it, so this attempt must not.
 *
 * Without a wait the check is skipped while more than half the lease is left: this attempt took
 * the lease moments ago (created or claimed it), nobody else can hold it, and a store round trip
 * per message would slow every send for nothing. A store without `renewLease` is asked with `get` (not atomic: it
 * narrows the window, it cannot close it).
 */
export async function holdLeaseUntilSlot(
  ctx: RuntimeContext,
  delivery: Delivery,
  waitMs: number,
): Promise<boolean> {
  const { leaseMs } = ctx.options.outbox;
  const renewEveryMs = Math.max(1, Math.floor(leaseMs / LEASE_RENEWALS_PER_LEASE));
  let left = waitMs;
  while (left > 0) {
    const step = Math.min(left, renewEveryMs);
    await new Promise((resolve) => setTimeout(resolve, step));
    left -= step;
    if (left > 0 && !(await stillOwned(ctx, delivery))) return false;
  }
  const expiresAt = delivery.lease?.expiresAt.getTime();
  if (waitMs <= 0 && expiresAt !== undefined && expiresAt - ctx.clock.now() > leaseMs / 2) {
    return true;
  }
  return stillOwned(ctx, delivery);
}

/** Renews the lease for a whole `leaseMs` from now; `false` when another instance owns it. */
async function stillOwned(ctx: RuntimeContext, delivery: Delivery): Promise<boolean> {
  const { store, instanceId: owner } = ctx;
  const { leaseMs } = ctx.options.outbox;
  if (store.deliveries.renewLease !== undefined) {
    return store.deliveries.renewLease({ id: delivery.id, owner, leaseMs });
  }
  const current = await store.deliveries.get(delivery.id);
  return current?.status === 'queued' && current.lease?.owner === owner;
}
