import { DeliveryError, type DeliveryErrorCategory, type StatusEvent } from '@threadline/core';

/**
 * Twilio error codes → delivery categories, as one table. The same table maps errors a send gets
 * back from the REST API and those a status callback reports later (`ErrorCode`), so a delivery
 * records the same category whichever way Twilio said it. Each code's page is
 * `https://www.twilio.com/docs/api/errors/<code>`.
 */

/** How one error code is handled. */
export interface TwilioErrorRule {
  category: DeliveryErrorCategory;
  /** Whether the core should send the same thing again by itself. */
  retryable: boolean;
  /** What the code means, for logs and the README. */
  meaning: string;
  /** Twilio's page for the code. */
  source: string;
}

const rule = (
  code: number,
  category: DeliveryErrorCategory,
  retryable: boolean,
  meaning: string,
): TwilioErrorRule => ({
  category,
  retryable,
  meaning,
  source: `https://www.twilio.com/docs/api/errors/${code}`,
});

/** The recipient texted STOP: every later send to that pair fails with this until START. */
export const ERROR_OPTED_OUT = 21610;
/** The request was not processed (too many concurrent requests): safe to retry with backoff. */
export const ERROR_TOO_MANY_REQUESTS = 20429;
/** `To` is not a valid phone number. */
export const ERROR_INVALID_TO = 21211;
/** Geo Permissions: SMS to the `To` number's region is not enabled on the account. */
export const ERROR_REGION_NOT_ENABLED = 21408;
/** `To` is not a mobile number (a landline or otherwise unable to take SMS). */
export const ERROR_NOT_MOBILE = 21614;
/** Unreachable handset (often temporary: off, out of coverage). */
export const ERROR_UNREACHABLE_HANDSET = 30003;
/** Unknown or inactive handset. */
export const ERROR_UNKNOWN_HANDSET = 30005;
/** Landline or unreachable carrier. */
export const ERROR_LANDLINE = 30006;
/** Filtered by the carrier (spam, compliance). */
export const ERROR_CARRIER_FILTERED = 30007;
/** Unknown error at the carrier. */
export const ERROR_UNKNOWN = 30008;

/**
 * Exact codes. Asynchronous codes (30xxx) arrive on a status callback after Twilio accepted the
 * message; the delivery then fails with that code, and the core does not resend by itself
 * (30003 is often temporary, but a resend is the host's call: it bills again).
 */
export const TWILIO_ERROR_CODES: Readonly<Record<number, TwilioErrorRule>> = {
  20003: rule(20003, 'auth', false, 'authentication failed (account SID, token or key)'),
  20404: rule(20404, 'invalid_request', false, 'resource not found (wrong account SID?)'),
  [ERROR_TOO_MANY_REQUESTS]: rule(20429, 'throttled', true, 'too many concurrent requests'),
  [ERROR_INVALID_TO]: rule(21211, 'invalid_request', false, "invalid 'To' phone number"),
  [ERROR_REGION_NOT_ENABLED]: rule(
    21408,
    'unreachable',
    false,
    'region not enabled (Geo Permissions)',
  ),
  21606: rule(21606, 'invalid_request', false, "the 'From' number cannot send to this number"),
  [ERROR_OPTED_OUT]: rule(21610, 'opted_out', false, 'the recipient replied STOP'),
  21612: rule(21612, 'unreachable', false, 'this To/From combination cannot be used'),
  [ERROR_NOT_MOBILE]: rule(21614, 'unreachable', false, "'To' is not a mobile number"),
  21617: rule(21617, 'invalid_request', false, 'body over 1,600 characters'),
  21619: rule(21619, 'invalid_request', false, 'a body, media or content is required'),
  21659: rule(21659, 'invalid_request', false, "'From' is not a Twilio number of this account"),
  30001: rule(30001, 'throttled', true, 'queue overflow: too many messages queued'),
  30002: rule(30002, 'billing', false, 'account suspended'),
  [ERROR_UNREACHABLE_HANDSET]: rule(30003, 'unreachable', false, 'unreachable destination handset'),
  30004: rule(30004, 'compliance', false, 'message blocked'),
  [ERROR_UNKNOWN_HANDSET]: rule(30005, 'unreachable', false, 'unknown or inactive handset'),
  [ERROR_LANDLINE]: rule(30006, 'unreachable', false, 'landline or unreachable carrier'),
  [ERROR_CARRIER_FILTERED]: rule(30007, 'compliance', false, 'filtered by the carrier'),
  [ERROR_UNKNOWN]: rule(30008, 'provider', false, 'unknown error'),
  30034: rule(30034, 'compliance', false, 'US A2P 10DLC: number not registered to a campaign'),
};

/** When the code is unknown: by HTTP status. */
const HTTP_RULES: ReadonlyArray<{ test: (status: number) => boolean; rule: TwilioErrorRule }> = [
  { test: (s) => s === 429, rule: rule(20429, 'throttled', true, 'too many requests') },
  { test: (s) => s === 401 || s === 403, rule: rule(20003, 'auth', false, 'not authorised') },
  {
    test: (s) => s === 408 || s >= 500,
    rule: {
      ...rule(0, 'provider', true, 'Twilio API failure'),
      source: 'https://status.twilio.com',
    },
  },
];

const UNKNOWN: TwilioErrorRule = {
  category: 'unknown',
  retryable: false,
  meaning: 'unrecognised error',
  source: 'https://www.twilio.com/docs/api/errors',
};

/**
 * The rule for a Twilio error code, else for the HTTP status, else `unknown`.
 *
 * @example
 * ```ts
 * twilioErrorRule(21610).category;   // 'opted_out'
 * twilioErrorRule(undefined, 503);   // { category: 'provider', retryable: true, … }
 * ```
 */
export function twilioErrorRule(code: number | undefined, httpStatus?: number): TwilioErrorRule {
  if (code !== undefined) {
    const exact = TWILIO_ERROR_CODES[code];
    if (exact) return exact;
  }
  if (httpStatus !== undefined) {
    const byStatus = HTTP_RULES.find((r) => r.test(httpStatus));
    if (byStatus) return byStatus.rule;
  }
  return UNKNOWN;
}

/** Twilio's REST error envelope: `{ code, message, more_info, status }`. */
export interface TwilioErrorBody {
  code?: number;
  message?: string;
  more_info?: string;
  status?: number;
}

/**
 * A REST error answer → the `DeliveryError` `send` throws.
 *
 * @example
 * ```ts
 * deliveryErrorFromTwilio({ httpStatus: 400, error: { code: 21610, message: 'Attempt to send to unsubscribed recipient' } });
 * // DeliveryError { category: 'opted_out', providerCode: '21610', retryable: false }
 * ```
 */
export function deliveryErrorFromTwilio(input: {
  httpStatus?: number;
  error?: TwilioErrorBody;
  retryAfterMs?: number;
  cause?: unknown;
}): DeliveryError {
  const { httpStatus, error = {}, retryAfterMs } = input;
  const matched = twilioErrorRule(error.code, httpStatus);
  const title = error.message ?? matched.meaning;
  const status = httpStatus === undefined ? '' : ` (HTTP ${httpStatus})`;
  return new DeliveryError(`Twilio refused the message${status}: ${title}`, {
    category: matched.category,
    provider: 'twilio',
    ...(error.code === undefined ? {} : { providerCode: String(error.code) }),
    title,
    ...(httpStatus === undefined ? {} : { httpStatus }),
    retryable: matched.retryable,
    ...(matched.retryable && retryAfterMs !== undefined && retryAfterMs > 0
      ? { retryAfterMs }
      : {}),
    cause: input.cause ?? error,
  });
}

/**
 * A status callback's `ErrorCode` → the status event's error.
 *
 * @example
 * ```ts
 * statusErrorFromTwilio('30006'); // { category: 'unreachable', providerCode: '30006', title: 'landline or unreachable carrier' }
 * ```
 */
export function statusErrorFromTwilio(code: string | undefined): NonNullable<StatusEvent['error']> {
  const numeric = code === undefined || code === '' ? undefined : Number(code);
  const matched = twilioErrorRule(Number.isInteger(numeric) ? numeric : undefined);
  return {
    category: matched.category,
    ...(code === undefined || code === '' ? {} : { providerCode: code }),
    title: matched.meaning,
  };
}
