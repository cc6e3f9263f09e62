import { DeliveryError, type DeliveryErrorCategory, parseRetryAfter } from '@threadline/core';
import { ConnectorCallError } from './bot-framework';

/**
 * Bot Connector HTTP failures → `DeliveryError` categories: a table by status, with the error
 * codes Teams puts in the body where a status alone is ambiguous.
 * Source: https://learn.microsoft.com/microsoftteams/platform/bots/build-conversational-capability#status-codes-from-bot-conversational-apis
 */

/** The provider name on every error this adapter throws. */
export const PROVIDER = 'microsoft';

interface ErrorRule {
  category: DeliveryErrorCategory;
  retryable: boolean;
}

/**
 * By HTTP status. 403 is the bot not in the conversation roster / blocked by the user, 404 the
 * conversation gone: both mean the stored reference no longer reaches the user. 412, 502 and
 * 504 are transient (same source; the rate-limit page asks to retry them with backoff).
 */
export const CONNECTOR_STATUS_RULES: Readonly<Record<number, ErrorRule>> = {
  400: { category: 'invalid_request', retryable: false },
  401: { category: 'auth', retryable: false },
  403: { category: 'unreachable', retryable: false },
  404: { category: 'unreachable', retryable: false },
  412: { category: 'provider', retryable: true },
  413: { category: 'invalid_request', retryable: false },
  429: { category: 'throttled', retryable: true },
  500: { category: 'provider', retryable: true },
  502: { category: 'provider', retryable: true },
  503: { category: 'provider', retryable: true },
  504: { category: 'provider', retryable: true },
};

/**
 * Body codes that override the status: a 403 for a missing permission is an auth problem, not an
 * unreachable user (same source).
 */
export const CONNECTOR_CODE_RULES: Readonly<Record<string, ErrorRule>> = {
  BotDisabledByAdmin: { category: 'unreachable', retryable: false },
  ConversationBlockedByUser: { category: 'unreachable', retryable: false },
  BotNotInConversationRoster: { category: 'unreachable', retryable: false },
  ConversationNotFound: { category: 'unreachable', retryable: false },
  InvalidBotApiHost: { category: 'invalid_request', retryable: false },
  MessageSizeTooBig: { category: 'invalid_request', retryable: false },
  ThreadNotFound: { category: 'unreachable', retryable: false },
};

function bodyCode(body: string | undefined): { code?: string; message?: string } {
  if (body === undefined) return {};
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown } };
    const code = typeof parsed.error?.code === 'string' ? parsed.error.code : undefined;
    const message = typeof parsed.error?.message === 'string' ? parsed.error.message : undefined;
    return { ...(code ? { code } : {}), ...(message ? { message } : {}) };
  } catch {
    return {};
  }
}

/**
 * Maps whatever a send threw to a `DeliveryError` (a `DeliveryError` passes through; a network
 * failure becomes a retryable `provider` error).
 *
 * @example
 * ```ts
 * toDeliveryError(new ConnectorCallError('Forbidden', 403, undefined, body, { cause }), Date.now());
 * // DeliveryError { category: 'unreachable', retryable: false, httpStatus: 403 }
 * ```
 */
export function toDeliveryError(error: unknown, now: number): DeliveryError {
  if (error instanceof DeliveryError) return error;
  if (!(error instanceof ConnectorCallError) || error.status === undefined) {
    const message = error instanceof Error ? error.message : String(error);
    return new DeliveryError(`the Bot Connector could not be reached: ${message}`, {
      category: 'provider',
      retryable: true,
      provider: PROVIDER,
      cause: error,
    });
  }
  const { code, message } = bodyCode(error.body);
  const rule = (code ? CONNECTOR_CODE_RULES[code] : undefined) ??
    CONNECTOR_STATUS_RULES[error.status] ?? {
      category: error.status >= 500 ? 'provider' : 'unknown',
      retryable: error.status >= 500,
    };
  const wait = parseRetryAfter(error.retryAfter, now);
  return new DeliveryError(
    `the Bot Connector answered ${error.status}${code ? ` ${code}` : ''}: ${message ?? error.message}`,
    {
      category: rule.category,
      retryable: rule.retryable,
      provider: PROVIDER,
      httpStatus: error.status,
      ...(code ? { providerCode: code } : {}),
      ...(wait === undefined ? {} : { retryAfterMs: wait }),
      cause: error,
    },
  );
}
