import type { Delivery } from '../../store/deliveries';
import type { RuntimeContext } from '../context';

/**
 * How many times per lease length a waiting attempt renews its lease: three means a renewal can
 * be late by two thirds of the lease (a busy event loop, a slow store) before the lease lapses.
 */
export const LEASE_RENEWALS_PER_LEASE = 3;

/**
 * Waits for the delivery's rate slot (`slot`, from the pacer; `undefined` when it may go now)
 * while keeping its lease, then makes sure this instance still owns it, right before the provider
 * call ("a lease covers the whole attempt"). Returns `false` when the lease was lost: another
 * instance claimed the delivery and will send it, so this attempt must not (the slot it leaves
 * unused only slows this sender a little, never past its rate).
 *
 * The check is skipped while more than half the lease this attempt knows of is left (taken
 * moments ago when the delivery was created or claimed, or renewed during the wait): nobody else
 * can hold it, and a store round trip per message would slow every send for nothing. That holds
 * after a short wait for a slot too, which is what a burst of sends written together (group
 * commit) and paced one slot apart meets on every message but the first. A store without
 * `renewLease` is asked with `get` (not atomic: it narrows the window, it cannot close it).
 */
export async function holdLeaseUntilSlot(
  ctx: RuntimeContext,
  delivery: Delivery,
  slot: Promise<void> | undefined,
): Promise<boolean> {
  const { leaseMs } = ctx.options.outbox;
  let expiresAt = delivery.lease?.expiresAt.getTime();
  const fresh = () => expiresAt !== undefined && expiresAt - ctx.clock.now() > leaseMs / 2;
  const renew = async () => {
    const owned = await stillOwned(ctx, delivery);
    if (owned) expiresAt = ctx.clock.now() + leaseMs;
    return owned;
  };
  if (slot === undefined) return fresh() || renew();
  const renewEveryMs = Math.max(1, Math.floor(leaseMs / LEASE_RENEWALS_PER_LEASE));
  const reached = slot.then(() => true as const);
  for (;;) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const renewDue = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), renewEveryMs);
    });
    const slotReached = await Promise.race([reached, renewDue]);
    clearTimeout(timer);
    if (slotReached) return fresh() || renew();
    if (!(await renew())) return false;
  }
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

/**
 * Keeps renewing the delivery's lease while the provider call runs, so a call slower than
 * `outbox.leaseMs` (`sendTimeoutMs` may be as long, or longer) is never handed to another
 * instance mid-send. A store without `renewLease` cannot be asked; the call runs as it is.
 */
export async function renewLeaseWhile<T>(
  ctx: RuntimeContext,
  delivery: Delivery,
  running: Promise<T>,
): Promise<T> {
  const { store, instanceId: owner } = ctx;
  const { leaseMs } = ctx.options.outbox;
  const renewLease = store.deliveries.renewLease?.bind(store.deliveries);
  if (renewLease === undefined) return running;
  const timer = setInterval(
    () => {
      renewLease({ id: delivery.id, owner, leaseMs }).catch((error: unknown) =>
        ctx.reportError(error, { phase: 'dispatch', deliveryId: delivery.id }),
      );
    },
    Math.max(1, Math.floor(leaseMs / LEASE_RENEWALS_PER_LEASE)),
  );
  timer.unref?.();
  try {
    return await running;
  } finally {
    clearInterval(timer);
  }
}
