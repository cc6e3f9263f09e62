import { DeliveryError, type DeliveryErrorCategory } from '@threadline/core';

/**
 * SMTP reply codes and nodemailer error codes → `DeliveryError` categories: a table, looked up by
 * the most specific key first (enhanced status `5.1.1`, then the reply code, then its class).
 * Sources: RFC 5321 §4.2.3 (reply codes) https://www.rfc-editor.org/rfc/rfc5321#section-4.2.3,
 * RFC 3463 (enhanced status codes) https://www.rfc-editor.org/rfc/rfc3463,
 * nodemailer error codes https://nodemailer.com/errors/
 */

/** How one code is handled. */
export interface SmtpErrorRule {
  category: DeliveryErrorCategory;
  retryable: boolean;
  title: string;
}

/** Enhanced status codes (RFC 3463) that say more than the reply code. */
export const ENHANCED_STATUS_RULES: Readonly<Record<string, SmtpErrorRule>> = {
  '5.1.1': { category: 'unreachable', retryable: false, title: 'Bad destination mailbox' },
  '5.1.2': { category: 'unreachable', retryable: false, title: 'Bad destination system' },
  '5.1.10': { category: 'unreachable', retryable: false, title: 'Recipient address has null MX' },
  '5.2.1': { category: 'unreachable', retryable: false, title: 'Mailbox disabled' },
  '5.2.2': { category: 'unreachable', retryable: false, title: 'Mailbox full' },
  '4.2.2': { category: 'throttled', retryable: true, title: 'Mailbox full' },
  '5.3.4': { category: 'invalid_request', retryable: false, title: 'Message too big' },
  '5.7.1': { category: 'compliance', retryable: false, title: 'Delivery not authorized' },
  '5.7.26': { category: 'compliance', retryable: false, title: 'Sender authentication failed' },
};

/** SMTP reply codes (RFC 5321 §4.2.3). */
export const SMTP_REPLY_RULES: Readonly<Record<number, SmtpErrorRule>> = {
  421: { category: 'provider', retryable: true, title: 'Service not available' },
  450: { category: 'throttled', retryable: true, title: 'Mailbox unavailable (temporary)' },
  451: { category: 'provider', retryable: true, title: 'Local error in processing' },
  452: { category: 'throttled', retryable: true, title: 'Insufficient storage' },
  454: { category: 'auth', retryable: true, title: 'Temporary authentication failure' },
  530: { category: 'auth', retryable: false, title: 'Authentication required' },
  534: { category: 'auth', retryable: false, title: 'Authentication mechanism too weak' },
  535: { category: 'auth', retryable: false, title: 'Authentication credentials invalid' },
  550: { category: 'unreachable', retryable: false, title: 'Mailbox unavailable' },
  551: { category: 'unreachable', retryable: false, title: 'User not local' },
  552: { category: 'invalid_request', retryable: false, title: 'Exceeded storage allocation' },
  553: { category: 'unreachable', retryable: false, title: 'Mailbox name not allowed' },
  554: { category: 'provider', retryable: false, title: 'Transaction failed' },
  556: { category: 'unreachable', retryable: false, title: 'Domain does not accept mail' },
};

/** nodemailer's own error codes (no SMTP reply behind them). */
export const NODEMAILER_CODE_RULES: Readonly<Record<string, SmtpErrorRule>> = {
  EAUTH: { category: 'auth', retryable: false, title: 'Authentication failed' },
  ENOAUTH: { category: 'auth', retryable: false, title: 'No credentials' },
  ECONNECTION: { category: 'provider', retryable: true, title: 'Connection failed' },
  ETIMEDOUT: { category: 'provider', retryable: true, title: 'Timed out' },
  ESOCKET: { category: 'provider', retryable: true, title: 'Socket error' },
  EDNS: { category: 'provider', retryable: true, title: 'DNS lookup failed' },
  ETLS: { category: 'provider', retryable: true, title: 'TLS failed' },
  EENVELOPE: { category: 'invalid_request', retryable: false, title: 'Invalid envelope' },
  EMESSAGE: { category: 'invalid_request', retryable: false, title: 'Message could not be built' },
  ESTREAM: { category: 'media', retryable: true, title: 'An attachment could not be read' },
  EFILEACCESS: { category: 'media', retryable: false, title: 'An attachment is not allowed' },
};

const FALLBACK_TEMPORARY: SmtpErrorRule = {
  category: 'provider',
  retryable: true,
  title: 'Temporary failure',
};
const FALLBACK_PERMANENT: SmtpErrorRule = {
  category: 'unknown',
  retryable: false,
  title: 'Permanent failure',
};

/** `5.1.1` from a reply line like `550 5.1.1 <x@y>: user unknown`. */
export function enhancedStatus(text: string | undefined): string | undefined {
  return text === undefined ? undefined : /\b([245]\.\d{1,3}\.\d{1,3})\b/.exec(text)?.[1];
}

/**
 * The rule for an SMTP outcome: enhanced status first, then the reply code, then its class
 * (4xx temporary and retried, 5xx permanent).
 *
 * @example
 * ```ts
 * smtpErrorRule(550, '550 5.1.1 user unknown').category; // 'unreachable'
 * ```
 */
export function smtpErrorRule(code: number | undefined, text?: string): SmtpErrorRule | undefined {
  const enhanced = enhancedStatus(text);
  if (enhanced !== undefined && ENHANCED_STATUS_RULES[enhanced]) {
    return ENHANCED_STATUS_RULES[enhanced];
  }
  if (code === undefined) return undefined;
  return (
    SMTP_REPLY_RULES[code] ??
    (code >= 400 && code < 500 ? FALLBACK_TEMPORARY : code >= 500 ? FALLBACK_PERMANENT : undefined)
  );
}

interface NodemailerError {
  code?: string;
  responseCode?: number;
  response?: string;
  message?: string;
}

/**
 * A nodemailer failure as a `DeliveryError` with the SMTP code kept as `providerCode`.
 *
 * @example
 * ```ts
 * toDeliveryError(Object.assign(new Error('x'), { responseCode: 452, response: '452 4.2.2 full' }));
 * // DeliveryError { category: 'throttled', retryable: true, providerCode: '452' }
 * ```
 */
export function toDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const failure = (typeof error === 'object' && error !== null ? error : {}) as NodemailerError;
  const rule =
    smtpErrorRule(failure.responseCode, failure.response) ??
    (failure.code === undefined ? undefined : NODEMAILER_CODE_RULES[failure.code]) ??
    FALLBACK_TEMPORARY;
  const providerCode =
    failure.responseCode === undefined ? failure.code : String(failure.responseCode);
  return new DeliveryError(failure.response ?? failure.message ?? rule.title, {
    category: rule.category,
    provider: 'smtp',
    ...(providerCode === undefined ? {} : { providerCode }),
    title: rule.title,
    retryable: rule.retryable,
    cause: error,
  });
}
