import type { Delivery } from '../../store/deliveries';
import type { RuntimeContext } from '../context';

/**
 * Claims due deliveries (scheduled, retrying, released, or orphaned by a dead instance) and runs
 * up to `outbox.concurrency` attempts at once. A timer poll claims and starts work without waiting
 * for it to finish, so one hanging provider call holds one slot until `sendTimeoutMs`, not the
 * other due deliveries of the instance.
 */
export class OutboxPoller {
  readonly #ctx: RuntimeContext;
  readonly #attempt: (delivery: Delivery) => Promise<unknown>;
  /** Attempts started and not finished yet, one per `outbox.concurrency` slot. */
  readonly #inFlight = new Set<Promise<void>>();
  #timer: ReturnType<typeof setInterval> | undefined;
  /** A poll claiming right now: polls never overlap on one instance. */
  #claiming: Promise<number> | undefined;
  #draining: Promise<number> | undefined;

  constructor(ctx: RuntimeContext, attempt: (delivery: Delivery) => Promise<unknown>) {
    this.#ctx = ctx;
    this.#attempt = attempt;
  }

  /**
   * Claims and attempts every due delivery, and waits until the attempts have finished. Returns
   * how many it claimed. Concurrent calls share one run.
   */
  runDue(): Promise<number> {
    if (this.#draining) return this.#draining;
    this.#draining = this.#drain().finally(() => {
      this.#draining = undefined;
    });
    return this.#draining;
  }

  async #drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const claimed = await this.#pollOnce();
      total += claimed;
      await Promise.all(this.#inFlight);
      if (claimed === 0) return total;
    }
  }

  #pollOnce(): Promise<number> {
    if (this.#claiming) return this.#claiming;
    this.#claiming = this.#poll().finally(() => {
      this.#claiming = undefined;
    });
    return this.#claiming;
  }

  /** Claims as many due deliveries as there are free slots and starts them. */
  async #poll(): Promise<number> {
    const { batchSize, leaseMs, concurrency } = this.#ctx.options.outbox;
    let total = 0;
    for (;;) {
      const limit = Math.min(batchSize, concurrency - this.#inFlight.size);
      if (limit <= 0) return total;
      const claimed = await this.#ctx.store.deliveries.claimDue({
        owner: this.#ctx.instanceId,
        limit,
        leaseMs,
      });
      total += claimed.length;
      for (const delivery of claimed) this.#track(this.#attempt(delivery));
      if (claimed.length < limit) return total;
    }
  }

  /** Holds a slot until the attempt settles. */
  #track(attempt: Promise<unknown>): void {
    const settled: Promise<void> = attempt.then(
      () => {
        this.#inFlight.delete(settled);
      },
      (error: unknown) => {
        this.#inFlight.delete(settled);
        this.#ctx.reportError(error, { phase: 'dispatch' });
      },
    );
    this.#inFlight.add(settled);
  }

  /** Polls every `outbox.pollIntervalMs` until {@link stop}. The timer does not keep the process alive. */
  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => {
      this.#pollOnce().catch((error: unknown) =>
        this.#ctx.reportError(error, { phase: 'dispatch' }),
      );
    }, this.#ctx.options.outbox.pollIntervalMs);
    this.#timer.unref?.();
  }

  /** Stops polling and waits for the attempts in flight (each ends by `sendTimeoutMs`). */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#claiming;
    await this.#draining;
    await Promise.all(this.#inFlight);
  }
}
