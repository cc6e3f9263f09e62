/** Inputs of {@link retryDelayMs}. */
export interface RetryDelayInput {
  /** The attempt that just failed (1 for the first). */
  attempt: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** The provider's `Retry-After`, when it sent one. */
  retryAfterMs?: number;
  random: () => number;
}

/**
 * How long to wait before the next attempt. Exponential backoff with full jitter (a random delay
 * up to `base · 2^(attempt-1)`, capped), which spreads retries from many instances apart (see
 * https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/). A provider's
 * `Retry-After` wins: never earlier than it said, plus up to 10% (at most 1 s) of jitter so
 * instances do not all return at the same instant.
 *
 * @example
 * ```ts
 * retryDelayMs({ attempt: 3, baseDelayMs: 1000, maxDelayMs: 300_000, random: Math.random }); // 0..4000
 * ```
 */
export function retryDelayMs(input: RetryDelayInput): number {
  const { attempt, baseDelayMs, maxDelayMs, retryAfterMs, random } = input;
  if (retryAfterMs !== undefined && retryAfterMs > 0) {
    return Math.ceil(retryAfterMs + random() * Math.min(1_000, retryAfterMs * 0.1));
  }
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}
