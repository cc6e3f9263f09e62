import { ValidationError } from '../errors/validation';
import { normalizeEmail, toE164 } from '../message/address';
import { DELIVERY_LIST_DEFAULT_LIMIT, DELIVERY_LIST_MAX_LIMIT } from './deliveries';
import { THREAD_READ_DEFAULT_LIMIT, THREAD_READ_MAX_LIMIT } from './threads';
import type { ContactPoint, NewUser } from './users';

// Argument checks every store needs. They live here, not in each store, so that every store
// (this repo's and third parties') refuses the same inputs with the same `ValidationError`, and
// the conformance suite sees one behaviour whatever the backend.

/**
 * A contact point in the one spelling used for matching (E.164, lower-cased email), or `null` if
 * it is not one. Two spellings of one number or address must find the same person, so stores
 * normalise before they index or look up a contact.
 *
 * @example
 * ```ts
 * normalizeContact({ kind: 'email', value: 'Ann@Example.com' }); // { kind: 'email', value: 'ann@example.com' }
 * normalizeContact({ kind: 'phone', value: '0770 090 0123' }); // null (no country code)
 * ```
 */
export function normalizeContact(contact: ContactPoint): ContactPoint | null {
  const value = contact.kind === 'phone' ? toE164(contact.value) : normalizeEmail(contact.value);
  return value === null ? null : { kind: contact.kind, value };
}

/**
 * The normalised contact point (see {@link normalizeContact}), or a `ValidationError` naming
 * `path` when it is not one: what every store checks before it indexes a contact.
 *
 * @example
 * ```ts
 * checkContact({ kind: 'phone', value: '0770 090 0123' }, 'phoneNumbers.0');
 * // throws `Invalid contact point: phoneNumbers.0: expected an E.164 phone number`
 * ```
 */
export function checkContact(contact: ContactPoint, path: string): ContactPoint {
  const normalized = normalizeContact(contact);
  if (normalized !== null) return normalized;
  const expected = contact.kind === 'phone' ? 'an E.164 phone number' : 'an email address';
  throw new ValidationError('contact point', [{ path, message: `expected ${expected}` }]);
}

/**
 * Every contact point of a new user, normalised, with the path an error about it names
 * (`phoneNumbers.0`, `emails.1`); the first invalid one throws (see {@link checkContact}).
 *
 * @example
 * ```ts
 * newUserContacts({ phoneNumbers: ['+447700900123'], emails: ['Ann@Example.com'] });
 * // [{ contact: { kind: 'phone', value: '+447700900123' }, path: 'phoneNumbers.0' },
 * //  { contact: { kind: 'email', value: 'ann@example.com' }, path: 'emails.0' }]
 * ```
 */
export function newUserContacts(
  input: Pick<NewUser, 'phoneNumbers' | 'emails'>,
): Array<{ contact: ContactPoint; path: string }> {
  return [
    ...(input.phoneNumbers ?? []).map((value, index) => ({
      contact: checkContact({ kind: 'phone', value }, `phoneNumbers.${index}`),
      path: `phoneNumbers.${index}`,
    })),
    ...(input.emails ?? []).map((value, index) => ({
      contact: checkContact({ kind: 'email', value }, `emails.${index}`),
      path: `emails.${index}`,
    })),
  ];
}

/**
 * Throws a `ValidationError` naming `path` unless `ms` is a positive, finite number of
 * milliseconds: a TTL or lease of zero would be stored already expired, which no caller means,
 * and one of `Infinity` would never expire.
 *
 * @param what - what the error says is invalid (`Invalid ttl: …`, `Invalid lease: …`).
 * @example
 * ```ts
 * checkDuration(ttlMs, 'ttlMs'); // throws `Invalid ttl: ttlMs: expected a positive number, got 0`
 * checkDuration(leaseMs, 'leaseMs', 'lease');
 * ```
 */
export function checkDuration(ms: number, path: string, what = 'ttl'): void {
  if (!Number.isFinite(ms) || ms <= 0) {
    throw new ValidationError(what, [{ path, message: `expected a positive number, got ${ms}` }]);
  }
}

/**
 * Throws a `ValidationError` naming `path` unless `value` is a positive integer: a limit or page
 * size of zero, a fraction or `NaN` is a caller's mistake, not a request for nothing.
 *
 * @param what - what the error says is invalid, e.g. `'job claim'`.
 * @example
 * ```ts
 * checkCount(limit, 'limit', 'job claim'); // throws `Invalid job claim: limit: expected a positive integer, got 0`
 * ```
 */
export function checkCount(value: number, path: string, what: string): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new ValidationError(what, [
      { path, message: `expected a positive integer, got ${value}` },
    ]);
  }
}

/**
 * A seq bound (a thread read's `after` or `before`): returns `value` if it is a non-negative
 * integer, else throws a `ValidationError` naming `path`. Zero is allowed (`after: 0` reads from
 * the first entry); a negative or fractional seq names no position.
 *
 * @param what - what the error says is invalid, e.g. `'thread read options'`.
 * @example
 * ```ts
 * const after = checkSeqBound(options.after, 'after', 'thread read options');
 * ```
 */
export function checkSeqBound(value: number, path: string, what: string): number {
  if (!Number.isInteger(value) || value < 0) {
    throw new ValidationError(what, [
      { path, message: `expected a non-negative integer, got ${value}` },
    ]);
  }
  return value;
}

/**
 * A page size: `fallback` when absent, else a positive integer (see {@link checkCount}) capped at
 * `max` rather than refused, because the store contracts say an oversized page is capped.
 *
 * @example
 * ```ts
 * const limit = pageSize(query.limit, { ...DELIVERY_LIST_PAGE, path: 'limit' });
 * // undefined → 50; 5000 → 200; 0 → `Invalid delivery query: limit: expected a positive integer, got 0`
 * ```
 */
export function pageSize(
  value: number | undefined,
  input: { path: string; what: string; fallback: number; max: number },
): number {
  if (value === undefined) return input.fallback;
  checkCount(value, input.path, input.what);
  return Math.min(value, input.max);
}

/**
 * The page rules of `ThreadLog.read` (`latest`, `limit`), for {@link pageSize}: the contract's
 * default and cap, kept here so no store restates them. `what` also names bad seq bounds.
 *
 * @example
 * ```ts
 * pageSize(options.latest, { ...THREAD_READ_PAGE, path: 'latest' });
 * checkSeqBound(options.after, 'after', THREAD_READ_PAGE.what);
 * ```
 */
export const THREAD_READ_PAGE = {
  what: 'thread read options',
  fallback: THREAD_READ_DEFAULT_LIMIT,
  max: THREAD_READ_MAX_LIMIT,
} as const;

/**
 * The page rules of `DeliveryStore.list` (`limit`), for {@link pageSize}: the contract's default
 * and cap, kept here so no store restates them.
 *
 * @example
 * ```ts
 * pageSize(query.limit, { ...DELIVERY_LIST_PAGE, path: 'limit' });
 * ```
 */
export const DELIVERY_LIST_PAGE = {
  what: 'delivery query',
  fallback: DELIVERY_LIST_DEFAULT_LIMIT,
  max: DELIVERY_LIST_MAX_LIMIT,
} as const;

/**
 * The ids `DeliveryStore.complete` records as `Delivery.providerMessageIds`: `undefined` when the
 * message went out as one provider message, else each id once with `providerMessageId` first
 * (added if the list left it out), so every store stores the same list and a receipt for any part
 * finds the delivery. Throws a `ValidationError` naming the entry unless every id is a non-empty
 * string: an empty id would match no receipt, and would hide that the adapter lost one.
 *
 * @example
 * ```ts
 * completedProviderIds({ providerMessageId: 'a', providerMessageIds: ['a', 'b', 'c'] }); // ['a', 'b', 'c']
 * completedProviderIds({ providerMessageId: 'a', providerMessageIds: ['a'] }); // undefined
 * completedProviderIds({ providerMessageId: 'a', providerMessageIds: ['a', ''] });
 * // throws `Invalid delivery completion: providerMessageIds.1: expected a non-empty string`
 * ```
 */
export function completedProviderIds(input: {
  providerMessageId: string;
  providerMessageIds?: readonly string[] | undefined;
}): string[] | undefined {
  const { providerMessageId, providerMessageIds } = input;
  if (providerMessageIds === undefined) return undefined;
  if (!Array.isArray(providerMessageIds)) {
    throw new ValidationError('delivery completion', [
      { path: 'providerMessageIds', message: 'expected an array of provider message ids' },
    ]);
  }
  providerMessageIds.forEach((id, index) => {
    if (typeof id !== 'string' || id.length === 0) {
      throw new ValidationError('delivery completion', [
        { path: `providerMessageIds.${index}`, message: 'expected a non-empty string' },
      ]);
    }
  });
  const ids = [...new Set([providerMessageId, ...providerMessageIds])];
  return ids.length > 1 ? ids : undefined;
}
