import type { RuntimeContext } from '../context';

/** How long to wait between tries for a thread's turn lease held by another instance. */
const LEASE_RETRY_MIN_MS = 20;
const LEASE_RETRY_MAX_MS = 500;

/**
 * Runs agent turns one at a time per thread. Within this process turns of a thread queue in
 * arrival order; across processes a store lease (`turn:<threadId>`) keeps two instances from
 * running turns of one thread at once. The lease is renewed while a turn runs, and expires if the
 * process dies, so a crashed instance never blocks a thread for longer than `turnLeaseMs`.
 */
export class TurnQueue {
  readonly #ctx: RuntimeContext;
  readonly #tails = new Map<string, Promise<void>>();

  constructor(ctx: RuntimeContext) {
    this.#ctx = ctx;
  }

  /** Queues `run` behind the thread's earlier turns. Resolves when it has run (errors are reported, not thrown). */
  enqueue(threadId: string, run: () => Promise<void>, context: { userId: string }): Promise<void> {
    const previous = this.#tails.get(threadId) ?? Promise.resolve();
    const next = previous.then(() => this.#runLeased(threadId, run, context));
    this.#tails.set(threadId, next);
    void next.then(() => {
      if (this.#tails.get(threadId) === next) this.#tails.delete(threadId);
    });
    return next;
  }

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
          .catch((error: unknown) => this.#ctx.reportError(error, { phase: 'agent', threadId }));
      },
      Math.max(1_000, Math.floor(ttlMs / 3)),
    );
    renew.unref?.();
    try {
      await run();
    } catch (error) {
      // The message is already in the thread: a failing agent loses no input, the host is told.
      this.#ctx.reportError(error, { phase: 'agent', threadId, userId: context.userId });
    } finally {
      clearInterval(renew);
      await store.leases
        .release({ key, owner })
        .catch((error: unknown) => this.#ctx.reportError(error, { phase: 'agent', threadId }));
    }
  }
}
