import { type FieldIssue, ValidationError } from '../errors/validation';
import { checkCount, checkDuration } from './arguments';
import {
  DEAD_LETTER_LIST_DEFAULT_LIMIT,
  DEAD_LETTER_LIST_MAX_LIMIT,
  type FailedInboundAttempt,
} from './dead-letters';
import type { InboundRecordInput } from './inbound';

// Checks of `InboundLog.record` and `DeadLetterStore` input, shared by every store (as in
// arguments.ts) so each refuses the same input the same way, and before it changes anything.

function isValidDate(value: unknown): value is Date {
  return value instanceof Date && !Number.isNaN(value.getTime());
}

function nonEmpty(value: unknown, path: string, issues: FieldIssue[]): void {
  if (typeof value !== 'string' || value.length === 0) {
    issues.push({ path, message: 'expected a non-empty string' });
  }
}

/**
 * Throws a `ValidationError` naming each bad field of an `InboundLog.record` input: a store calls
 * it first, so bad input changes nothing (no claim, no touch, no entry).
 *
 * @example
 * ```ts
 * checkInboundRecord(input); // then claim, resolve, touch, ensure, append
 * ```
 */
export function checkInboundRecord(input: InboundRecordInput): void {
  checkDuration(input.claimTtlMs, 'claimTtlMs');
  const issues: FieldIssue[] = [];
  nonEmpty(input.claimKey, 'claimKey', issues);
  nonEmpty(input.sender?.channel, 'sender.channel', issues);
  nonEmpty(input.sender?.address, 'sender.address', issues);
  nonEmpty(input.adapterId, 'adapterId', issues);
  nonEmpty(input.agentId, 'agentId', issues);
  if (input.entry?.direction !== 'inbound') {
    issues.push({ path: 'entry.direction', message: "expected 'inbound'" });
  }
  if (!isValidDate(input.entry?.at))
    issues.push({ path: 'entry.at', message: 'expected a valid Date' });
  if (issues.length > 0) throw new ValidationError('inbound record', issues);
}

/**
 * Throws a `ValidationError` naming each bad field of a `DeadLetterStore.recordFailure` input.
 *
 * @example
 * ```ts
 * checkFailedAttempt(input); // then count the attempt
 * ```
 */
export function checkFailedAttempt(input: FailedInboundAttempt & { maxAttempts: number }): void {
  checkCount(input.maxAttempts, 'maxAttempts', 'failed attempt');
  const issues: FieldIssue[] = [];
  nonEmpty(input.adapterId, 'adapterId', issues);
  nonEmpty(input.providerMessageId, 'providerMessageId', issues);
  nonEmpty(input.channel, 'channel', issues);
  if (!isValidDate(input.at)) issues.push({ path: 'at', message: 'expected a valid Date' });
  if (issues.length > 0) throw new ValidationError('failed attempt', issues);
}

/**
 * The page rules of `DeadLetterStore.list` (`limit`), for `pageSize`.
 *
 * @example
 * ```ts
 * pageSize(options.limit, { ...DEAD_LETTER_PAGE, path: 'limit' });
 * ```
 */
export const DEAD_LETTER_PAGE = {
  what: 'dead letter query',
  fallback: DEAD_LETTER_LIST_DEFAULT_LIMIT,
  max: DEAD_LETTER_LIST_MAX_LIMIT,
} as const;
