import { StoreError, ThreadlineError } from '@threadline/core';

/**
 * Error replies after which the same command can succeed if sent again: the server is loading its
 * data set, a script ran too long, a Cluster slot is moving or a replica is being promoted.
 * https://redis.io/docs/latest/develop/reference/protocol-spec/#simple-errors
 */
const RETRYABLE_REPLY_PREFIXES = [
  'LOADING',
  'BUSY',
  'TRYAGAIN',
  'CLUSTERDOWN',
  'MASTERDOWN',
  'READONLY',
  'MOVED',
  'ASK',
];

/** node-redis's names for "there is no connection right now" (offline queue disabled, socket closed). */
const CONNECTION_ERROR_NAMES = new Set([
  'ClientOfflineError',
  'ClientClosedError',
  'SocketClosedUnexpectedlyError',
  'ConnectionTimeoutError',
  'ReconnectStrategyError',
  'SocketTimeoutError',
]);

/** Node's socket error codes for an unreachable or vanished server. */
const RETRYABLE_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * Whether a client error means "Redis was unreachable for a moment": worth a retry.
 *
 * @example
 * ```ts
 * isRetryable(new Error('LOADING Redis is loading the dataset in memory')); // true
 * isRetryable(new Error('ERR wrong number of arguments')); // false
 * ```
 */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (
    CONNECTION_ERROR_NAMES.has(error.name) ||
    CONNECTION_ERROR_NAMES.has(error.constructor.name)
  ) {
    return true;
  }
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && RETRYABLE_SOCKET_CODES.has(code)) return true;
  if (/the client is (closed|offline)|socket closed/i.test(error.message)) return true;
  return RETRYABLE_REPLY_PREFIXES.some((prefix) => error.message.startsWith(`${prefix} `));
}

/**
 * Turns whatever the client threw into a Threadline error. Threadline's own errors pass through;
 * a lost connection becomes a retryable `StoreError` (`store_unavailable`), so a webhook that
 * arrives while Redis is down is answered non-2xx and the provider sends it again; anything else
 * a permanent one (`store_failed`) with the client error as `cause`.
 *
 * @example
 * ```ts
 * try { await client.sendCommand(['GET', key]); } catch (error) { throw toStoreError(error, 'users.get'); }
 * ```
 */
export function toStoreError(error: unknown, operation: string): Error {
  if (error instanceof ThreadlineError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  if (isRetryable(error)) {
    return new StoreError(
      `Redis store: ${operation} failed, Redis was unreachable (${detail}); try again`,
      { code: 'store_unavailable', retryable: true, cause: error },
    );
  }
  return new StoreError(`Redis store: ${operation} failed: ${detail}`, {
    code: 'store_failed',
    cause: error,
  });
}
