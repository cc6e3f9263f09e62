import type { JsonObject } from '../message/json';

/** Why recording a provider message failed, as stored (no stack, no `cause`: plain data). */
export interface DeadLetterError {
  /** The error's class name (`StoreError`, `TypeError`…). */
  name: string;
  /** A stable code when the error had one (`ThreadlineError.code`). */
  code?: string;
  message: string;
}

/** Which provider message: the adapter that received it and the provider's id for it (as a pair). */
export interface ProviderMessageKey {
  adapterId: string;
  providerMessageId: string;
}

/** One failed attempt at recording a provider message. */
export interface FailedInboundAttempt extends ProviderMessageKey {
  channel: string;
  /** When the attempt failed. */
  at: Date;
  error: DeadLetterError;
  /** The message as the core saw it (already bounded), so an operator can inspect or replay it. */
  message: JsonObject;
}

/** A provider message given up on after too many failed attempts. */
export interface DeadLetter extends ProviderMessageKey {
  channel: string;
  /** Failed attempts counted, including those after it was dead-lettered. */
  attempts: number;
  firstFailedAt: Date;
  /** When the attempt that reached the limit failed. */
  deadAt: Date;
  /** The error of the attempt that reached the limit. */
  error: DeadLetterError;
  message: JsonObject;
}

/** The result of {@link DeadLetterStore.recordFailure}. */
export interface FailureCount {
  /** Failed attempts of this provider message so far, this one included. */
  attempts: number;
  /** The dead letter, once `attempts` has reached the limit (on that call and every later one). */
  deadLetter: DeadLetter | null;
}

/** Default and largest page of {@link DeadLetterStore.list}. */
export const DEAD_LETTER_LIST_DEFAULT_LIMIT = 50;
export const DEAD_LETTER_LIST_MAX_LIMIT = 1000;

/**
 * Provider messages that could not be recorded. Providers retry a webhook that failed (Meta for up
 * to 7 days), so a message that fails every time (a poison message) would fail forever: the core
 * counts attempts here, durably across instances, and after `maxAttempts` records a dead letter and
 * answers the provider 2xx.
 */
export interface DeadLetterStore {
  /**
   * Counts one failed attempt of `(adapterId, providerMessageId)`, atomically (concurrent calls
   * count each attempt once). When the count reaches `maxAttempts` (a positive integer), the dead
   * letter is recorded with this attempt's error and message; later calls only count, and return
   * the recorded dead letter with the new count.
   *
   * @example
   * ```ts
   * const { deadLetter } = await store.deadLetters.recordFailure({ ...attempt, maxAttempts: 5 });
   * if (deadLetter) return new Response(null, { status: 200 }); // stop the provider retrying
   * ```
   */
  recordFailure(input: FailedInboundAttempt & { maxAttempts: number }): Promise<FailureCount>;
  /** The dead letter of a provider message, or `null` (none, or fewer attempts than the limit). */
  get(key: ProviderMessageKey): Promise<DeadLetter | null>;
  /**
   * Dead letters, newest `deadAt` first. `limit` defaults to `DEAD_LETTER_LIST_DEFAULT_LIMIT` and is
   * capped at `DEAD_LETTER_LIST_MAX_LIMIT`; `since` keeps those dead at or after it.
   */
  list(options?: { since?: Date; limit?: number }): Promise<DeadLetter[]>;
}
