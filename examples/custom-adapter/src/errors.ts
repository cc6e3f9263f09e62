import { DeliveryError, type DeliveryErrorCategory } from '@threadline/core';

/**
 * Relay's error codes (HTTP-like, as Telegram's `error_code`) → what the core should do.
 * Source: https://core.telegram.org/bots/api#making-requests and the codes bots meet in practice.
 */
const ERROR_TABLE: Record<number, { category: DeliveryErrorCategory; retryable: boolean }> = {
  400: { category: 'invalid_request', retryable: false },
  401: { category: 'auth', retryable: false },
  403: { category: 'unreachable', retryable: false }, // the user blocked the bot
  404: { category: 'auth', retryable: false }, // a wrong token gives 404 on Telegram
  429: { category: 'throttled', retryable: true },
};

/** Relay's error body. */
export interface RelayErrorBody {
  ok: false;
  error_code: number;
  description: string;
  parameters?: { retry_after?: number };
}

/** Builds the DeliveryError for a Relay error answer; 5xx and unknown codes are retryable. */
export function relayError(body: RelayErrorBody, httpStatus: number): DeliveryError {
  const known = ERROR_TABLE[body.error_code];
  const retryAfter = body.parameters?.retry_after;
  return new DeliveryError(body.description, {
    category: known?.category ?? 'provider',
    provider: 'relay',
    providerCode: String(body.error_code),
    httpStatus,
    retryable: known?.retryable ?? httpStatus >= 500,
    ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter * 1000 }),
  });
}
