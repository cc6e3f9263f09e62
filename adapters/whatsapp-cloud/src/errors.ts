import { DeliveryError, type DeliveryErrorCategory, type StatusEvent } from '@threadline/core';
import { PAIR_RATE_LIMIT } from './capabilities';

/**
 * Graph / WhatsApp error codes → delivery categories, as one table. The same table maps errors
 * that come back on a send (HTTP) and those that arrive later on a `failed` status, so a delivery
 * records the same category whichever way Meta reported it.
 * Sources: https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes
 * and pywa's errors.py (https://github.com/david-lev/pywa) for the meanings.
 */

/** How one error code is handled. */
export interface GraphErrorRule {
  category: DeliveryErrorCategory;
  /** Whether the core should send the same thing again by itself. */
  retryable: boolean;
  /** The least wait before a retry, when the code implies one. */
  retryAfterMs?: number;
  /** What the code means, for logs and the README. */
  meaning: string;
}

/**
 * 131056 is per (business, user) pair: that user may be written to again after about one
 * message interval ({@link PAIR_RATE_LIMIT}); everyone else is unaffected.
 */
export const PAIR_RATE_LIMIT_RETRY_MS =
  (PAIR_RATE_LIMIT.perSeconds / PAIR_RATE_LIMIT.messages) * 1_000;

const rule = (
  category: DeliveryErrorCategory,
  retryable: boolean,
  meaning: string,
  retryAfterMs?: number,
): GraphErrorRule => ({
  category,
  retryable,
  meaning,
  ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
});

/**
 * Exact codes. 131048 (spam rate limit) and 131049 (Meta's per-user marketing limit, the US
 * marketing pause) are not retried by the core: Meta asks for delays of hours, and resending
 * sooner lowers the number's quality rating. The host decides when to try again.
 */
export const GRAPH_ERROR_CODES: Readonly<Record<number, GraphErrorRule>> = {
  0: rule('auth', false, 'AuthException: the access token could not be verified'),
  1: rule('provider', true, 'API unknown error'),
  2: rule('provider', true, 'API service temporarily unavailable'),
  3: rule('auth', false, 'the app lacks the capability for this call'),
  4: rule('throttled', true, 'app call-rate limit reached'),
  10: rule('auth', false, 'permission denied'),
  100: rule('invalid_request', false, 'invalid parameter'),
  190: rule('auth', false, 'access token expired or invalid'),
  368: rule('compliance', false, 'temporarily blocked for policy violations'),
  80007: rule('throttled', true, 'WhatsApp Business Account rate limit reached'),
  130429: rule('throttled', true, 'Cloud API throughput limit reached'),
  130472: rule('compliance', false, "user's number is part of an experiment"),
  131000: rule('provider', true, 'something went wrong at Meta'),
  131005: rule('auth', false, 'access denied'),
  131008: rule('invalid_request', false, 'required parameter missing'),
  131009: rule('invalid_request', false, 'parameter value invalid'),
  131016: rule('provider', true, 'service unavailable'),
  131021: rule('invalid_request', false, 'recipient cannot be the sender'),
  131026: rule('unreachable', false, 'message undeliverable (not on WhatsApp, old app, terms)'),
  131030: rule('unreachable', false, 'recipient not in the allowed list (test number)'),
  131031: rule('compliance', false, 'business account locked'),
  131042: rule('billing', false, 'business eligibility payment issue'),
  131045: rule('auth', false, 'phone number not registered (certificate)'),
  131047: rule('window_closed', false, 'more than 24 hours since the user last wrote'),
  131048: rule('throttled', false, 'spam rate limit: slow down for hours'),
  131049: rule('compliance', false, 'not delivered to keep the ecosystem healthy'),
  131050: rule('opted_out', false, 'user stopped marketing messages'),
  131051: rule('invalid_request', false, 'unsupported message type'),
  131052: rule('media', false, 'media download error'),
  131053: rule('media', false, 'media upload error'),
  131056: rule(
    'throttled',
    true,
    'pair rate limit: too many messages to this user',
    PAIR_RATE_LIMIT_RETRY_MS,
  ),
  133010: rule('auth', false, 'phone number not registered'),
  135000: rule('invalid_request', false, 'generic user error'),
};

/** Code ranges, checked after exact codes: every 132xxx is a template problem, 2xx permissions. */
export const GRAPH_ERROR_RANGES: ReadonlyArray<{ from: number; to: number; rule: GraphErrorRule }> =
  [
    { from: 200, to: 299, rule: rule('auth', false, 'permission missing') },
    {
      from: 132000,
      to: 132999,
      rule: rule('template', false, 'template missing, paused or parameters wrong'),
    },
  ];

/** When the code is unknown: by HTTP status. */
const HTTP_RULES: ReadonlyArray<{ test: (status: number) => boolean; rule: GraphErrorRule }> = [
  { test: (s) => s === 429, rule: rule('throttled', true, 'too many requests') },
  { test: (s) => s === 401 || s === 403, rule: rule('auth', false, 'not authorised') },
  { test: (s) => s === 408 || s >= 500, rule: rule('provider', true, 'Graph API failure') },
];

const UNKNOWN = rule('unknown', false, 'unrecognised error');

/**
 * The rule for a Graph error code (exact, then range), else for the HTTP status, else `unknown`.
 *
 * @example
 * ```ts
 * graphErrorRule(131047).category; // 'window_closed'
 * graphErrorRule(132001).category; // 'template'
 * graphErrorRule(undefined, 503);  // { category: 'provider', retryable: true, … }
 * ```
 */
export function graphErrorRule(code: number | undefined, httpStatus?: number): GraphErrorRule {
  if (code !== undefined) {
    const exact = GRAPH_ERROR_CODES[code];
    if (exact) return exact;
    const range = GRAPH_ERROR_RANGES.find((r) => code >= r.from && code <= r.to);
    if (range) return range.rule;
  }
  if (httpStatus !== undefined) {
    const byStatus = HTTP_RULES.find((r) => r.test(httpStatus));
    if (byStatus) return byStatus.rule;
  }
  return UNKNOWN;
}

/** The parts of Graph's error object (`{ error: { … } }`, or an item of `errors[]`) we read. */
export interface GraphErrorBody {
  code?: number;
  message?: string;
  title?: string;
  error_subcode?: number;
  error_data?: { details?: string };
  fbtrace_id?: string;
}

/**
 * A Graph error answer → the `DeliveryError` `send` throws. `Retry-After` wins when it asks for
 * longer than the rule's own wait.
 *
 * @example
 * ```ts
 * deliveryErrorFromGraph({ httpStatus: 400, error: { code: 131047, message: 'Re-engagement message' } });
 * // DeliveryError { category: 'window_closed', providerCode: '131047', retryable: false }
 * ```
 */
export function deliveryErrorFromGraph(input: {
  httpStatus?: number;
  error?: GraphErrorBody;
  retryAfterMs?: number;
  cause?: unknown;
}): DeliveryError {
  const { httpStatus, error = {}, retryAfterMs } = input;
  const matched = graphErrorRule(error.code, httpStatus);
  const wait = Math.max(retryAfterMs ?? 0, matched.retryAfterMs ?? 0);
  const details = error.error_data?.details;
  const title = error.title ?? error.message ?? matched.meaning;
  const status = httpStatus === undefined ? '' : ` (HTTP ${httpStatus})`;
  return new DeliveryError(`WhatsApp refused the message${status}: ${details ?? title}`, {
    category: matched.category,
    provider: 'meta',
    ...(error.code === undefined ? {} : { providerCode: String(error.code) }),
    title,
    ...(httpStatus === undefined ? {} : { httpStatus }),
    retryable: matched.retryable,
    ...(matched.retryable && wait > 0 ? { retryAfterMs: wait } : {}),
    cause: input.cause ?? error,
  });
}

/**
 * An error from a `failed` status (or the webhook's `errors[]`) → the status event's error.
 *
 * @example
 * ```ts
 * statusErrorFromGraph({ code: 131026, title: 'Message undeliverable' });
 * // { category: 'unreachable', providerCode: '131026', title: 'Message undeliverable' }
 * ```
 */
export function statusErrorFromGraph(error: GraphErrorBody): NonNullable<StatusEvent['error']> {
  const detail = error.error_data?.details ?? error.message;
  const title = error.title ?? error.message;
  return {
    category: graphErrorRule(error.code).category,
    ...(error.code === undefined ? {} : { providerCode: String(error.code) }),
    ...(title === undefined ? {} : { title }),
    ...(detail === undefined ? {} : { detail }),
  };
}
