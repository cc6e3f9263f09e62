import { isThreadlineError } from '../errors/threadline-error';

/**
 * How many tries in all a runtime step gets when the store blips (a retryable `StoreError`: a cut
 * connection, a restarting server, a Redis reconnect), and how long it waits between them: five
 * tries over ≈ 3 s ride out a connection cut or a failover. A longer outage is left to what
 * recovers durably (the turn poller, the outbox poller, the provider's webhook retries).
 */
export const STORE_BLIP_TRIES = 5;
const FIRST_RETRY_DELAY_MS = 100;
const MAX_RETRY_DELAY_MS = 1_600;

/** Whether `error` is a store failure that the same call may get past a moment later. */
export function isRetryableStoreError(error: unknown): boolean {
  return isThreadlineError(error) && error.category === 'store' && error.retryable;
}

/** The wait after the `failedTries`-th failed try: 100 ms, doubling, at most 1.6 s. */
export function storeRetryDelayMs(failedTries: number): number {
  return Math.min(MAX_RETRY_DELAY_MS, FIRST_RETRY_DELAY_MS * 2 ** (failedTries - 1));
}

/**
 * Runs `run`, trying again after a retryable store failure, up to {@link STORE_BLIP_TRIES} tries.
 * Only for steps that are safe to repeat (reads, or writes the store deduplicates: an enqueue keyed
 * by message, a create with an idempotency key). `onRetry` hears each failure that is retried; the
 * last failure, or any other error, is thrown.
 */
export async function retryStoreBlips<T>(
  run: (tryNumber: number) => Promise<T>,
  onRetry?: (error: unknown) => void,
): Promise<T> {
  for (let tryNumber = 1; ; tryNumber += 1) {
    try {
      return await run(tryNumber);
    } catch (error) {
      if (tryNumber >= STORE_BLIP_TRIES || !isRetryableStoreError(error)) throw error;
      onRetry?.(error);
      await new Promise((resolve) => setTimeout(resolve, storeRetryDelayMs(tryNumber)));
    }
  }
}
