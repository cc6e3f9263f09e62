import type { RuntimeContext } from '../context';
import { STORE_BLIP_TRIES, storeRetryDelayMs } from '../store-retry';

/** How long to wait between tries for a thread's turn lease held by another instance. */
const LEASE_RETRY_MIN_MS = 20;
const LEASE_RETRY_MAX_MS = 500;

/** How one queued turn may be retried; see {@link TurnQueue.enqueue}. */
export interface TurnQueueOptions {
  userId: string;
  /**
   * Asked after a failure: `true` tries the turn again in its place in the queue (so later turns
   * of the thread still wait for it), after a short backoff, up to `STORE_BLIP_TRIES` tries in
   * all. Without it nothing is retried. Without this a store blip before the agent was called
   * leaves a durable turn to the poller, which takes it only after `inbound.turnLeaseMs`.
   */
  retry?: (error: unknown) => boolean;
}

/**
 * Runs agent turns one at a time per thread. Within this process turns of a thread queue in
 * arrival order; across processes a store lease (`turn:<threadId>`) keeps two instances from
 * running turns of one thread at once. The lease is renewed while a turn runs, and expires if the
 * process dies, so a crashed instance never blocks a thread for longer than `turnLeaseMs`.
 *
 * Nothing a turn does can reject the per-thread chain: a store failure (taking, renewing or giving
 * back the lease) or an agent that throws goes to `onError`, and the thread's later turns still
 * run. A rejected link would otherwise be an unhandled rejection, which ends a Node.js process.
 */
export class TurnQueue {
  readonly #ctx: RuntimeContext;
  readonly #tails = new Map<string, Promise<void>>();

  constructor(ctx: RuntimeContext) {
    this.#ctx = ctx;
  }

  /**
   * Queues `run` behind the thread's earlier turns. Resolves when it has run, or has failed and
   * been reported; it never rejects. Resolves `true` when `run` finished without throwing.
   */
  enqueue(threadId: string, run: () => Promise<void>, options: TurnQueueOptions): Promise<boolean> {
    const previous = this.#tails.get(threadId) ?? Promise.resolve();
    const next = previous.then(() => this.#runWithRetries(threadId, run, options));
    const tail = next.then(() => undefined);
    this.#tails.set(threadId, tail);
    void tail.then(() => {
      if (this.#tails.get(threadId) === tail) this.#tails.delete(threadId);
    });
    return next;
  }

  async #runWithRetries(
    threadId: string,
    run: () => Promise<void>,
    options: TurnQueueOptions,
  ): Promise<boolean> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.#runLeased(threadId, run, options);
        return true;
      } catch (error) {
        // The message is already in the thread: a failing agent loses no input, the host is told.
        this.#report(error, threadId, options);
        if (attempt >= STORE_BLIP_TRIES || options.retry?.(error) !== true) return false;
        await new Promise((resolve) => setTimeout(resolve, storeRetryDelayMs(attempt)));
      }
    }
  }

  #report(error: unknown, threadId: string, context: { userId: string }): void {
    this.#ctx.reportError(error, { phase: 'agent', threadId, userId: context.userId });
  }

  /** Runs `run` under the thread's lease; rejects with whatever failed (acquire or `run`). */
  async #runLeased(
    threadId: string,
    run: () => Promise<void>,
    context: { userId: string },
  ): Promise<void> {
    const { store, instanceId: owner, options } = this.#ctx;
    const key = `turn:${threadId}`;
    const ttlMs = options.inbound.turnLeaseMs;
    let wait = LEASE_RETRY_MIN_MS;
    while (!(await store.leases.acquire({ key, owner, ttlMs }))) {
      await new Promise((resolve) => setTimeout(resolve, wait));
      wait = Math.min(LEASE_RETRY_MAX_MS, wait * 2);
    }
    const renew = setInterval(
      () => {
        store.leases
          .renew({ key, owner, ttlMs })
          .catch((error: unknown) => this.#report(error, threadId, context));
      },
      Math.max(1_000, Math.floor(ttlMs / 3)),
    );
    renew.unref?.();
    try {
      await run();
    } finally {
      clearInterval(renew);
      await store.leases
        .release({ key, owner })
        .catch((error: unknown) => this.#report(error, threadId, context));
    }
  }
}
