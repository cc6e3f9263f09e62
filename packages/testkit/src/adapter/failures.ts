import { DeliveryError, type DeliveryErrorCategory, type OutboundEnvelope } from '@threadline/core';

/** The provider name the test adapter puts on its deliveries and errors. */
export const TEST_PROVIDER = 'test';

/**
 * Categories worth retrying by default: the provider was busy or broken, not the request wrong.
 * The same split real adapters make (a 429 or a 5xx is retried; a 400 or an opt-out is not).
 */
const RETRYABLE_BY_DEFAULT: ReadonlySet<DeliveryErrorCategory> = new Set(['throttled', 'provider']);

/** Options of {@link createTestDeliveryError}. */
export interface TestDeliveryErrorOptions {
  /** Defaults to `true` for `throttled` and `provider`, `false` otherwise. */
  retryable?: boolean;
  retryAfterMs?: number;
  providerCode?: string;
  httpStatus?: number;
  message?: string;
  /** The underlying error, kept as the DeliveryError's `cause`. */
  cause?: unknown;
}

/**
 * Builds the {@link DeliveryError} a test provider would throw for `category`.
 *
 * @example
 * ```ts
 * const error = createTestDeliveryError('throttled', { retryAfterMs: 2_000 });
 * error.retryable; // true
 * ```
 */
export function createTestDeliveryError(
  category: DeliveryErrorCategory,
  options: TestDeliveryErrorOptions = {},
): DeliveryError {
  return new DeliveryError(options.message ?? `Test provider failure: ${category}`, {
    category,
    provider: TEST_PROVIDER,
    retryable: options.retryable ?? RETRYABLE_BY_DEFAULT.has(category),
    ...(options.retryAfterMs === undefined ? {} : { retryAfterMs: options.retryAfterMs }),
    ...(options.providerCode === undefined ? {} : { providerCode: options.providerCode }),
    ...(options.httpStatus === undefined ? {} : { httpStatus: options.httpStatus }),
    ...(options.cause === undefined ? {} : { cause: options.cause }),
  });
}

/** A programmed failure: an error, or a function choosing one from the envelope. */
export type ProgrammedFailure = Error | ((envelope: OutboundEnvelope) => Error);

/** A queue of programmed failures, consumed one per send. */
export interface FailureQueue {
  add(failure: ProgrammedFailure, times: number): void;
  /** The error for this send, if one is programmed; consumes it. */
  take(envelope: OutboundEnvelope): Error | undefined;
  /** How many sends will still fail. */
  readonly pending: number;
  clear(): void;
}

/** Creates an empty {@link FailureQueue}. */
export function createFailureQueue(): FailureQueue {
  const queue: ProgrammedFailure[] = [];
  return {
    add(failure, times) {
      if (!Number.isInteger(times) || times < 1) {
        throw new RangeError(`failNext(…, times): expected a positive integer, got ${times}`);
      }
      for (let i = 0; i < times; i += 1) queue.push(failure);
    },
    take(envelope) {
      const failure = queue.shift();
      if (failure === undefined) return undefined;
      return typeof failure === 'function' ? failure(envelope) : failure;
    },
    get pending() {
      return queue.length;
    },
    clear() {
      queue.length = 0;
    },
  };
}
