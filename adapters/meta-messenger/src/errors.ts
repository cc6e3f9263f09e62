import { DeliveryError, type DeliveryErrorCategory } from '@threadline/core';

/**
 * Send API error codes → delivery categories, as one table keyed by `code` or
 * `code/error_subcode` (the subcode wins: code 10 alone is a permission error, 10/2018278 is
 * the closed window).
 * Sources: https://developers.facebook.com/documentation/business-messaging/messenger-platform/error-codes
 * https://developers.facebook.com/docs/messenger-platform/reference/send-api/error-codes
 */

/** How one error code is handled. */
export interface SendApiErrorRule {
  category: DeliveryErrorCategory;
  retryable: boolean;
  meaning: string;
}

const rule = (
  category: DeliveryErrorCategory,
  retryable: boolean,
  meaning: string,
): SendApiErrorRule => ({ category, retryable, meaning });

/** "This message is sent outside of allowed window" (no usable tag, or the window expired). */
export const OUTSIDE_WINDOW = { code: 10, subcode: 2018278 } as const;
/** "This person isn't available right now" (blocked the Page, deactivated, messages off). */
export const PERSON_UNAVAILABLE = { code: 551, subcode: 1545041 } as const;
/** "No matching user found" (a PSID from another Page or app). */
export const NO_MATCHING_USER = { code: 100, subcode: 2018001 } as const;

/** The rules by `code/subcode`, then by `code`. */
export const SEND_API_ERRORS: Readonly<Record<string, SendApiErrorRule>> = {
  [`${OUTSIDE_WINDOW.code}/${OUTSIDE_WINDOW.subcode}`]: rule(
    'window_closed',
    false,
    'sent outside the allowed window',
  ),
  [`${PERSON_UNAVAILABLE.code}/${PERSON_UNAVAILABLE.subcode}`]: rule(
    'unreachable',
    false,
    'this person is not available',
  ),
  [`${NO_MATCHING_USER.code}/${NO_MATCHING_USER.subcode}`]: rule(
    'unreachable',
    false,
    'no matching user found',
  ),
  '2': rule('provider', true, 'temporary service error'),
  '4': rule('throttled', true, 'application request limit reached'),
  '10': rule('auth', false, 'permission denied'),
  '32': rule('throttled', true, 'Page request limit reached'),
  '100': rule('invalid_request', false, 'invalid parameter'),
  '190': rule('auth', false, 'access token expired or invalid'),
  '200': rule('auth', false, 'permission missing'),
  '551': rule('unreachable', false, 'this person is not available'),
  '613': rule('throttled', true, 'calls exceed the rate limit'),
};

/** When the code is unknown: by HTTP status. */
function byHttpStatus(status: number | undefined): SendApiErrorRule {
  if (status === 429) return rule('throttled', true, 'too many requests');
  if (status === 401 || status === 403) return rule('auth', false, 'not authorised');
  if (status !== undefined && (status === 408 || status >= 500)) {
    return rule('provider', true, 'Graph API failure');
  }
  return rule('unknown', false, 'unrecognised error');
}

/**
 * The rule for a Graph error: `code/subcode`, then `code`, then the HTTP status.
 *
 * @example
 * ```ts
 * sendApiErrorRule(10, 2018278).category; // 'window_closed'
 * sendApiErrorRule(10).category;          // 'auth'
 * sendApiErrorRule(613).retryable;        // true
 * ```
 */
export function sendApiErrorRule(
  code: number | undefined,
  subcode?: number,
  httpStatus?: number,
): SendApiErrorRule {
  if (code !== undefined) {
    const exact = SEND_API_ERRORS[`${code}/${subcode}`] ?? SEND_API_ERRORS[String(code)];
    if (exact) return exact;
  }
  return byHttpStatus(httpStatus);
}

/** The parts of Graph's `{ error: { … } }` we read. */
export interface SendApiErrorBody {
  code?: number;
  error_subcode?: number;
  message?: string;
  type?: string;
  fbtrace_id?: string;
}

/**
 * A Graph error answer → the `DeliveryError` `send` throws.
 *
 * @example
 * ```ts
 * deliveryErrorFromSendApi({ httpStatus: 400, error: { code: 551, error_subcode: 1545041 } });
 * // DeliveryError { category: 'unreachable', providerCode: '551/1545041', retryable: false }
 * ```
 */
export function deliveryErrorFromSendApi(input: {
  httpStatus?: number;
  error?: SendApiErrorBody;
  retryAfterMs?: number;
}): DeliveryError {
  const { httpStatus, error = {}, retryAfterMs } = input;
  const matched = sendApiErrorRule(error.code, error.error_subcode, httpStatus);
  const code =
    error.code === undefined
      ? undefined
      : error.error_subcode === undefined
        ? String(error.code)
        : `${error.code}/${error.error_subcode}`;
  const status = httpStatus === undefined ? '' : ` (HTTP ${httpStatus})`;
  return new DeliveryError(
    `Meta refused the message${status}: ${error.message ?? matched.meaning}`,
    {
      category: matched.category,
      provider: 'meta',
      ...(code === undefined ? {} : { providerCode: code }),
      title: matched.meaning,
      ...(httpStatus === undefined ? {} : { httpStatus }),
      retryable: matched.retryable,
      ...(matched.retryable && retryAfterMs !== undefined ? { retryAfterMs } : {}),
      cause: error,
    },
  );
}
