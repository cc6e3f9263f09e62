import type { ThreadStore } from '@threadline/core';

/**
 * Helpers for a store's multi-process tests (two instances dispatching one outbox, a restart
 * mid-run), shared so every store proves exactly-once delivery the same way.
 *
 * @example
 * ```ts
 * const ids = await createDueDeliveries(store, 500, () => new Date());
 * await waitFor(async () => (await sentCount()) === 500, 'every delivery sent');
 * ```
 */

/** Creates `count` deliveries due at `at`, 50 at a time, and returns their ids in order. */
export async function createDueDeliveries(
  store: ThreadStore,
  count: number,
  at: () => Date,
): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < count; start += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, count - start) }, (_, index) =>
        store.deliveries.create({
          channel: 'sms',
          adapterId: 'sms-main',
          recipient: '+447700900001',
          payload: { n: start + index },
          origin: 'send',
          nextAttemptAt: at(),
        }),
      ),
    );
    ids.push(...batch.map((result) => result.delivery.id));
  }
  return ids;
}

/** Polls `check` every 20 ms of real time until it holds, failing after `timeoutMs`. */
export async function waitFor(
  check: () => Promise<boolean> | boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
