import { AsyncLocalStorage } from 'node:async_hooks';
import { callWithTimeout, type HttpAnswer, parseRetryAfter } from '@threadline/core';
import { deliveryErrorFromTwilio, type TwilioErrorBody } from './errors';

/**
 * The outbox's signal for the send in progress. twilio-node's `messages.create` takes no signal,
 * so it travels beside the SDK call to this transport, which hands it to `fetch`.
 */
const callSignal = new AsyncLocalStorage<AbortSignal | undefined>();

/** Runs `fn` (an SDK call) so that the requests it makes are aborted with `signal`. */
export function withCallSignal<T>(
  signal: AbortSignal | undefined,
  fn: () => Promise<T>,
): Promise<T> {
  return callSignal.run(signal, fn);
}

/**
 * The transport under twilio-node's REST client. twilio-node builds every URL on
 * `api.twilio.com` (with `region`/`edge` folded into the host name) and hands it to its
 * `httpClient`; the client has no base-URL option, so this transport is where tests and
 * `@threadline/emulators` take Twilio's place: it swaps the origin for `baseUrl`. It speaks
 * `fetch` (any runtime, msw at the edge), clears its timeout as soon as a call is done, and turns
 * every non-2xx answer into a `DeliveryError` through the error table while the headers
 * (`Retry-After`) are still at hand.
 */

/** What twilio-node passes to `httpClient.request` (the subset we read). */
export interface TwilioHttpRequest {
  method: string;
  uri: string;
  username?: string;
  password?: string;
  headers?: Record<string, string>;
  params?: Record<string, unknown>;
  data?: Record<string, unknown>;
  authStrategy?: { getAuthString(): Promise<string> };
}

/** What twilio-node expects back. */
export interface TwilioHttpResponse {
  statusCode: number;
  body: string;
  headers: Record<string, string>;
}

/** Options of {@link createFetchHttpClient}. */
export interface FetchHttpClientOptions {
  /** Replaces `https://api.twilio.com` (and any region/edge host) when set. */
  baseUrl?: string;
  timeoutMs: number;
  now(): number;
  fetch?: typeof fetch;
}

/** Form fields as twilio-node gives them: arrays repeat the name (`MediaUrl=a&MediaUrl=b`). */
export function formEncode(data: Record<string, unknown>): URLSearchParams {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(data)) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) form.append(name, String(item));
  }
  return form;
}

function readError(text: string, fallback: string): TwilioErrorBody {
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed === 'object' && parsed !== null) {
      const { code, message, more_info } = parsed as Record<string, unknown>;
      return {
        ...(typeof code === 'number' ? { code } : {}),
        ...(typeof message === 'string' ? { message } : {}),
        ...(typeof more_info === 'string' ? { more_info } : {}),
      };
    }
  } catch {
    // Not JSON (a proxy's HTML page): keep the start of the text.
  }
  return { message: text.slice(0, 200) || fallback };
}

/**
 * Creates the transport. Pass it as `httpClient` to `new Twilio(…)`.
 *
 * @example
 * ```ts
 * const client = new twilio.Twilio(sid, token, {
 *   accountSid: sid,
 *   httpClient: createFetchHttpClient({ baseUrl: 'http://127.0.0.1:4010', timeoutMs: 15_000, now: Date.now }),
 * });
 * ```
 */
export function createFetchHttpClient(options: FetchHttpClientOptions) {
  // Retryable network failures: the request may not have reached Twilio. (It may also have: the
  // Messages API has no idempotency key, so a retry after a timeout can rarely send twice.)
  const http = {
    api: 'Twilio API',
    provider: 'twilio',
    timeoutMs: options.timeoutMs,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  };
  return {
    async request(opts: TwilioHttpRequest): Promise<TwilioHttpResponse> {
      const target = new URL(opts.uri);
      const url = options.baseUrl
        ? new URL(`${target.pathname}${target.search}`, `${options.baseUrl}/`)
        : target;
      if (opts.params) {
        for (const [name, value] of formEncode(opts.params)) url.searchParams.append(name, value);
      }
      const headers = new Headers(opts.headers);
      if (opts.username && opts.password) {
        headers.set('authorization', `Basic ${btoa(`${opts.username}:${opts.password}`)}`);
      } else if (opts.authStrategy) {
        headers.set('authorization', await opts.authStrategy.getAuthString());
      }
      const init: RequestInit = {
        method: opts.method.toUpperCase(),
        headers,
        ...(opts.data ? { body: formEncode(opts.data) } : {}),
      };
      const signal = callSignal.getStore();
      const httpCall = signal === undefined ? http : { ...http, signal };
      return callWithTimeout(url, init, httpCall, async (response) => {
        const body = await response.text();
        if (!response.ok) {
          const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), options.now());
          throw deliveryErrorFromTwilio({
            httpStatus: response.status,
            error: readError(body, response.statusText),
            ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
          });
        }
        return {
          statusCode: response.status,
          body,
          headers: headersOf(response),
        };
      });
    },
  };
}

/** The answer's headers as the Twilio client's response carries them: one value per name. */
function headersOf(response: HttpAnswer): Record<string, string> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return headers;
}
