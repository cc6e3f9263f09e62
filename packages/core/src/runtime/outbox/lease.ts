import type { Delivery } from '../../store/deliveries';
import type { RuntimeContext } from '../context';

/**
 * How many times per lease length a waiting attempt renews its lease: three means a renewal can
 * be late by two thirds of the lease (a busy event loop, a slow store) before the lease lapses.
 */
export const LEASE_RENEWALS_PER_LEASE = 3;

/**
 * Whether this attempt may skip the ownership check before its provider call: more than half the
 * lease it knows of is left (taken moments ago when the delivery was created or claimed), so
 * nobody else can hold it. Synchronous, so a send whose rate slot is free now awaits nothing here.
 */
export function leaseIsFresh(ctx: RuntimeContext, delivery: Delivery): boolean {
  const expiresAt = delivery.lease?.expiresAt.getTime();
  return expiresAt !== undefined && expiresAt - ctx.clock.now() > ctx.options.outbox.leaseMs / 2;
}

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
  const renewEveryMs = renewalInterval(leaseMs);
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

/** How often a lease is renewed while its work runs (see {@link LEASE_RENEWALS_PER_LEASE}). */
function renewalInterval(leaseMs: number): number {
  return Math.max(1, Math.floor(leaseMs / LEASE_RENEWALS_PER_LEASE));
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
 * Keeps renewing the leases of the deliveries whose provider call is running, so a call slower
 * than `outbox.leaseMs` (`sendTimeoutMs` may be as long, or longer) is never handed to another
 * instance mid-send. One timer serves every running call: it ticks every
 * `leaseMs / LEASE_RENEWALS_PER_LEASE` while any call runs and renews all of them, so each lease
 * is renewed within that time of its call starting and at that interval after. A timer per call
 * cost a web chat burst 10,000 timers set and cleared for calls that end within the tick (bench
 * B5). A store without `renewLease` cannot be asked; the calls run as they are.
 *
 * @example
 * ```ts
 * keeper.keep(delivery);
 * try { result = await adapter.send(envelope); } finally { keeper.release(delivery); }
 * ```
 */
export class LeaseKeeper {
  readonly #ctx: RuntimeContext;
  readonly #running = new Set<Delivery>();
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(ctx: RuntimeContext) {
    this.#ctx = ctx;
  }

  /** The delivery's provider call starts: its lease is renewed until {@link release}. */
  keep(delivery: Delivery): void {
    if (this.#ctx.store.deliveries.renewLease === undefined) return;
    this.#running.add(delivery);
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(
      () => this.#renewAll(),
      renewalInterval(this.#ctx.options.outbox.leaseMs),
    );
    this.#timer.unref?.();
  }

  /** The call ended (either way). The timer stops with the last running call. */
  release(delivery: Delivery): void {
    if (!this.#running.delete(delivery) || this.#running.size > 0) return;
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #renewAll(): void {
    const { store, instanceId: owner } = this.#ctx;
    const { leaseMs } = this.#ctx.options.outbox;
    for (const delivery of this.#running) {
      store.deliveries
        .renewLease?.({ id: delivery.id, owner, leaseMs })
        .catch((error: unknown) =>
          this.#ctx.reportError(error, { phase: 'dispatch', deliveryId: delivery.id }),
        );
    }
  }
}
