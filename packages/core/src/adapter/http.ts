import { DeliveryError } from '../errors/delivery';
import { joinDeadline } from './call-deadline';
import { type HttpAnswer, nodeHttpCall, takesNodeHttp } from './node-transport';

/**
 * The plumbing every HTTP adapter repeats around `fetch`: a timeout that is cleared as soon as the
 * call is done, and a network failure (refused, reset, timed out) turned into a retryable
 * `DeliveryError`. Provider-neutral: reading the answer and mapping error bodies stay with the
 * adapter's own error table.
 */

/** Options of {@link callWithTimeout}. */
export interface HttpCallOptions {
  /** Names the API in error messages, e.g. `'Graph API'`. */
  api: string;
  /** The `provider` of the `DeliveryError` a network failure becomes, e.g. `'meta'`. */
  provider: string;
  /** Milliseconds before the call (and reading its answer) is aborted. */
  timeoutMs: number;
  /**
   * Makes every call with this `fetch` (a proxy's dispatcher, an edge runtime, a test double).
   * Without it, sends and other non-`GET` calls with a string, form or byte body go over
   * `node:http`/`node:https` with the global agents (see {@link nodeHttpCall}) and the rest over
   * the global `fetch`. An undici dispatcher set with `setGlobalDispatcher` (a proxy) only
   * reaches the global `fetch`: pass `fetch` to send everything through it.
   */
  fetch?: typeof fetch;
  /**
   * The caller's signal (`ChannelAdapter.send`'s `options.signal`): aborting it aborts the call,
   * which then throws the signal's reason (the outbox's `SendTimeoutError`).
   */
  signal?: AbortSignal;
  /**
   * Called once the request has left this process: its bytes handed to the network (the Node
   * transport's `finish`). Not called on the `fetch` path, which cannot tell. For a rate limit
   * counted where the request arrives (WhatsApp's per-number throughput).
   */
  onSent?: () => void;
}

/** What an aborted caller's signal throws: its reason when that is an error, else an `AbortError`. */
export function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error
    ? signal.reason
    : new DOMException('The operation was aborted', 'AbortError');
}

/**
 * The `DeliveryError` for a call that got no HTTP answer. Retryable: the request may not have
 * reached the provider. (It may also have: without an idempotency key, a retry after a timeout
 * can rarely deliver twice; that is the provider's API, not ours to fix.)
 *
 * @example
 * ```ts
 * throw networkDeliveryError(error, { api: 'Graph API', provider: 'meta', timeoutMs: 15_000 });
 * ```
 */
export function networkDeliveryError(
  error: unknown,
  options: Pick<HttpCallOptions, 'api' | 'provider' | 'timeoutMs'>,
): DeliveryError {
  const timedOut = error instanceof Error && error.name === 'TimeoutError';
  const reason = timedOut
    ? `no answer within ${options.timeoutMs} ms`
    : error instanceof Error
      ? error.message
      : String(error);
  return new DeliveryError(`${options.api} call failed: ${reason}`, {
    category: 'provider',
    provider: options.provider,
    retryable: true,
    cause: error,
  });
}

/**
 * One HTTP call with a timeout, its answer read by `read` inside the same timeout. Calls started
 * together share the timer and the signal (see `CALL_DEADLINE_WINDOW_MS`), which is cleared as
 * soon as the last of them settles: `AbortSignal.timeout` would keep a timer (and the signal)
 * alive for the whole `timeoutMs` after every call, tens of thousands of them at high send rates.
 * A call that gets no answer throws {@link networkDeliveryError}; any HTTP status, 2xx or not, is
 * handed to `read`, which decides what it means.
 *
 * @example
 * ```ts
 * const body = await callWithTimeout(
 *   'https://api.example.com/messages',
 *   { method: 'POST', body: JSON.stringify({ text: 'hi' }) },
 *   { api: 'Example API', provider: 'example', timeoutMs: 15_000 },
 *   (response) => response.text(),
 * );
 * ```
 */
export async function callWithTimeout<T>(
  url: string | URL,
  init: RequestInit,
  options: HttpCallOptions,
  read: (response: HttpAnswer) => Promise<T>,
): Promise<T> {
  const outer = options.signal;
  // Already aborted: no request at all (the caller stopped waiting before it began).
  if (outer?.aborted) throw abortError(outer);
  // Shared with the calls started alongside it (same caller signal, same timeout).
  const deadline = joinDeadline(outer, options.timeoutMs);
  try {
    let response: HttpAnswer;
    try {
      response = await send(url, init, deadline.signal, options);
    } catch (error) {
      if (outer?.aborted) throw abortError(outer);
      throw networkDeliveryError(error, options);
    }
    return await read(response);
  } finally {
    deadline.done();
  }
}

/** The injected `fetch` for everything, else the Node transport for what it takes, else `fetch`. */
function send(
  url: string | URL,
  init: RequestInit,
  signal: AbortSignal,
  options: HttpCallOptions,
): Promise<HttpAnswer> {
  if (options.fetch !== undefined) return options.fetch(url, { ...init, signal });
  const target = typeof url === 'string' ? new URL(url) : url;
  if (takesNodeHttp(target, init)) return nodeHttpCall(target, init, signal, options.onSent);
  return fetch(target, { ...init, signal });
}

/** Entries a {@link rememberBounded} map keeps by default. */
export const REMEMBERED_MAX = 10_000;

/**
 * Sets `key` in `map` as its newest entry and drops the oldest past `limit`: for state that
 * helps (a retried delivery resumes after its sent parts, typing finds the last message) but must
 * not grow without bound in a long-lived process.
 *
 * @example
 * ```ts
 * const sentParts = new Map<string, string[]>();
 * rememberBounded(sentParts, envelope.deliveryId, ids);
 * ```
 */
export function rememberBounded<K, V>(
  map: Map<K, V>,
  key: K,
  value: V,
  limit: number = REMEMBERED_MAX,
): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > limit) map.delete(map.keys().next().value as K);
}
