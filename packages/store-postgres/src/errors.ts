import { StoreError, ThreadlineError } from '@threadline/core';

/**
 * Socket-level failures node reports by `code`: the server is unreachable, went away mid-query,
 * or a connect timed out. Retrying later, on a fresh connection, may succeed.
 */
const RETRYABLE_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * SQLSTATEs after which the same call can succeed if tried again. Class 08 is "connection
 * exception" as a whole; the rest are listed in
 * https://www.postgresql.org/docs/current/errcodes-appendix.html.
 */
const RETRYABLE_SQLSTATES: Record<string, string> = {
  '57P01': 'admin_shutdown (the server is restarting or the backend was terminated)',
  '57P02': 'crash_shutdown',
  '57P03': 'cannot_connect_now (the server is starting up)',
  '53300': 'too_many_connections',
  '40001': 'serialization_failure',
  '40P01': 'deadlock_detected',
  '55P03': 'lock_not_available',
};

/**
 * node-postgres reports a dropped connection with these messages and no code: the socket closed
 * under a query, or the pool gave up waiting for a connection.
 */
const RETRYABLE_MESSAGES = [
  /connection terminated/i,
  /connection error/i,
  /timeout exceeded when trying to connect/i,
  /not queryable/i,
];

/**
 * Thrown inside a transaction to roll it back and run it again: a concurrent writer won a unique
 * key this transaction needed (see `identities.resolve`). Never leaves the store.
 */
export class ConflictRetry extends Error {
  override name = 'ConflictRetry';
}

/** Whether `error` (a `StoreError` from a query, or a raw driver error) is SQLSTATE `code`. */
export function hasSqlState(error: unknown, code: string): boolean {
  if (errorCode(error) === code) return true;
  const cause = (error as { cause?: unknown } | null)?.cause;
  return cause !== undefined && errorCode(cause) === code;
}

/** What a driver error carries (node-postgres `DatabaseError`, PGlite errors, node socket errors). */
interface DriverErrorShape {
  code?: unknown;
  message?: unknown;
  constraint?: unknown;
}

/** The SQLSTATE (`23505`) or socket code (`ECONNREFUSED`) of a driver error, if any. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as DriverErrorShape | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Whether a driver error means "the database was unreachable for a moment": worth a retry.
 *
 * @example
 * ```ts
 * isRetryable({ code: '57P01' }); // true: the server is restarting
 * isRetryable({ code: '23505' }); // false: a unique violation will not go away
 * ```
 */
export function isRetryable(error: unknown): boolean {
  const code = errorCode(error);
  if (code !== undefined) {
    if (RETRYABLE_SOCKET_CODES.has(code) || code in RETRYABLE_SQLSTATES) return true;
    if (code.startsWith('08')) return true;
  }
  const message = (error as DriverErrorShape | null)?.message;
  return typeof message === 'string' && RETRYABLE_MESSAGES.some((pattern) => pattern.test(message));
}

/**
 * Turns whatever a driver threw into a Threadline error. Errors that are already Threadline's
 * (a `ValidationError` thrown inside a transaction) pass through. Connection failures become a
 * retryable `StoreError` (`store_unavailable`); the rest a permanent one (`store_failed`) whose
 * message keeps the SQLSTATE, with the driver error as `cause`.
 *
 * @example
 * ```ts
 * try { await pool.query(sql); } catch (error) { throw toStoreError(error, 'threads.append'); }
 * ```
 */
export function toStoreError(error: unknown, operation: string): Error {
  if (error instanceof ThreadlineError || error instanceof ConflictRetry) return error;
  const code = errorCode(error);
  const detail = error instanceof Error ? error.message : String(error);
  if (isRetryable(error)) {
    return new StoreError(
      `Postgres store: ${operation} failed, the database was unreachable (${code ?? detail}); try again`,
      { code: 'store_unavailable', retryable: true, cause: error },
    );
  }
  const sqlstate = code === undefined ? '' : ` [${code}]`;
  return new StoreError(`Postgres store: ${operation} failed${sqlstate}: ${detail}`, {
    code: 'store_failed',
    cause: error,
  });
}
