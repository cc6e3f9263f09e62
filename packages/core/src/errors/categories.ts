/**
 * Why a delivery failed, in words a host can act on. Adapters map provider error codes onto these
 * (a table per adapter), and the core decides retries and fallbacks from them.
 */
export const DELIVERY_ERROR_CATEGORIES = [
  /** The session window is closed (WhatsApp 24 h rule): only a template may be sent. */
  'window_closed',
  /** The recipient opted out (STOP) or the provider reports them unsubscribed. */
  'opted_out',
  /** The address cannot receive on this channel (not on WhatsApp, landline, unknown PSID…). */
  'unreachable',
  /** Too many requests: retry after `retryAfterMs` or with backoff. */
  'throttled',
  /** Credentials are missing, expired or lack a permission. */
  'auth',
  /** The template is unknown, unapproved, paused, or its parameters do not match. */
  'template',
  /** A media file could not be fetched, uploaded or is of an unsupported kind or size. */
  'media',
  /** The request itself is wrong (a bad parameter, an over-long field). */
  'invalid_request',
  /** Account-level billing problem. */
  'billing',
  /** A compliance rule blocked it (for example an unregistered 10DLC campaign). */
  'compliance',
  /** The provider failed (5xx, unknown error, timeout). Usually retryable. */
  'provider',
  /** Nothing else fits; the provider's code and title are kept on the error. */
  'unknown',
] as const;

/** One of {@link DELIVERY_ERROR_CATEGORIES}. */
export type DeliveryErrorCategory = (typeof DELIVERY_ERROR_CATEGORIES)[number];

/**
 * Every error Threadline throws has one of these categories: the delivery categories, plus the
 * ones that are about the caller or the system rather than a provider.
 */
export type ErrorCategory =
  | DeliveryErrorCategory
  /** Bad input from the caller: a field is missing, malformed or contradicts another. */
  | 'validation'
  /** A factory was given options it cannot work with. */
  | 'config'
  /** The thread store failed (connection lost, constraint broken). */
  | 'store'
  /** The thing asked for does not exist (unknown user, delivery, adapter). */
  | 'not_found'
  /** A warm-only channel without a prior conversation, or no sender for the recipient. */
  | 'not_reachable';
