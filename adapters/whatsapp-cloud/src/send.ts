import {
  abortError,
  type Clock,
  callWithTimeout,
  DeliveryError,
  type HttpAnswer,
  parseRetryAfter,
} from '@threadline/core';
import { z } from 'zod';
import { deliveryErrorFromGraph, type GraphErrorBody } from './errors';
import { ThroughputWindow } from './throughput';

/**
 * The Graph API over `fetch`: every call has a timeout (an `AbortSignal`), every failure becomes
 * a `DeliveryError` through the error table, and every `POST /messages` (sends, reactions,
 * read receipts, typing) passes the throughput window, since Meta counts them all.
 */

/** What the client needs from the options. */
export interface GraphClientOptions {
  baseUrl: string;
  apiVersion: string;
  accessToken: string;
  phoneNumberId: string;
  timeoutMs: number;
  perSecond: number;
  clock: Clock;
  fetch?: typeof fetch;
}

/** What Meta answered to a message send. */
export interface GraphSendResponse {
  /** The wamid. */
  id: string;
  /** The WhatsApp id Meta resolved the number to (may differ from the input). */
  waId?: string;
}

const SendResponseSchema = z.object({
  contacts: z.array(z.object({ wa_id: z.string().optional() }).loose()).optional(),
  messages: z.array(z.object({ id: z.string().min(1) }).loose()).min(1),
});

const ErrorEnvelopeSchema = z.object({
  error: z
    .object({
      code: z.number().optional(),
      message: z.string().optional(),
      error_subcode: z.number().optional(),
      error_data: z.object({ details: z.string().optional() }).loose().optional(),
      fbtrace_id: z.string().optional(),
    })
    .loose(),
});

/** The Graph client one adapter uses. */
export interface GraphClient {
  /** `POST /{phone-number-id}/messages` with a message body; the wamid Meta gave it. */
  sendMessage(
    to: string,
    message: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<GraphSendResponse>;
  /** `POST /{phone-number-id}/messages` for a status update (read receipt, typing). */
  postStatus(body: Record<string, unknown>): Promise<void>;
  /** `GET /{path}` as JSON, e.g. a media object. */
  getJson(path: string, query?: Record<string, string>): Promise<unknown>;
  /** `GET` an absolute URL Graph handed out (a media download), with the token. */
  getBytes(url: string): Promise<{ data: Uint8Array; contentType: string | null }>;
}

/**
 * Creates the Graph client. The base URL and version are options so that tests (msw) and
 * `@threadline/emulators` can stand in for Meta.
 *
 * @example
 * ```ts
 * const graph = createGraphClient({ baseUrl: 'https://graph.facebook.com', apiVersion: 'v25.0', … });
 * const { id } = await graph.sendMessage('15550001234', { type: 'text', text: { body: 'hi' } });
 * ```
 */
export function createGraphClient(options: GraphClientOptions): GraphClient {
  const throughput = new ThroughputWindow(options.perSecond);
  // Retryable network failures: the request may not have reached Meta. (It may also have: Graph
  // has no idempotency key, so a retry after a timeout can rarely deliver twice.)
  const http = {
    api: 'Graph API',
    provider: 'meta',
    timeoutMs: options.timeoutMs,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  };
  const authorization = `Bearer ${options.accessToken}`;
  const messagesUrl = `${options.baseUrl}/${options.apiVersion}/${options.phoneNumberId}/messages`;

  /** One Graph call with the token; non-2xx answers go through the error table. */
  async function call<T>(
    url: string,
    init: { method?: string; headers?: Record<string, string>; body?: string },
    read: (response: HttpAnswer) => Promise<T>,
    signal?: AbortSignal,
    onSent?: () => void,
  ): Promise<T> {
    const headers = { ...init.headers, authorization };
    const httpCall = {
      ...http,
      ...(signal === undefined ? {} : { signal }),
      ...(onSent === undefined ? {} : { onSent }),
    };
    return callWithTimeout(url, { ...init, headers }, httpCall, async (response) => {
      if (response.ok) return await read(response);
      const text = await response.text().catch(() => '');
      let error: GraphErrorBody | undefined;
      try {
        error = ErrorEnvelopeSchema.parse(JSON.parse(text)).error;
      } catch {
        error = { message: text.slice(0, 200) || response.statusText };
      }
      const retryAfterMs = parseRetryAfter(
        response.headers.get('retry-after'),
        options.clock.now(),
      );
      throw deliveryErrorFromGraph({
        httpStatus: response.status,
        error,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      });
    });
  }

  async function readJson(response: HttpAnswer): Promise<unknown> {
    try {
      return await response.json();
    } catch (error) {
      // Also a body cut off by the timeout: Meta answered 2xx, so it may have taken the message.
      throw new DeliveryError('Graph API answered 2xx with a body that is not JSON', {
        category: 'provider',
        provider: 'meta',
        retryable: false,
        cause: error,
      });
    }
  }

  async function postMessages(
    body: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<unknown> {
    const place = await throughput.take();
    try {
      // The wait for throughput cannot be aborted; a caller that gave up meanwhile sends nothing.
      if (signal?.aborted) throw abortError(signal);
      return await call(
        messagesUrl,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ messaging_product: 'whatsapp', ...body }),
        },
        readJson,
        signal,
        place.sent,
      );
    } finally {
      // Answered or failed: either way Meta has counted it by now, if it ever will.
      place.release();
    }
  }

  return {
    async sendMessage(to, message, signal) {
      const answer = await postMessages({ recipient_type: 'individual', to, ...message }, signal);
      const parsed = SendResponseSchema.safeParse(answer);
      if (!parsed.success) {
        // Not retryable: Meta may have taken the message, and a resend would duplicate it.
        throw new DeliveryError('Graph API accepted the message but returned no message id', {
          category: 'provider',
          provider: 'meta',
          retryable: false,
          cause: answer,
        });
      }
      const waId = parsed.data.contacts?.[0]?.wa_id;
      return { id: parsed.data.messages[0]?.id as string, ...(waId ? { waId } : {}) };
    },
    async postStatus(body) {
      await postMessages(body);
    },
    async getJson(path, query = {}) {
      const search = new URLSearchParams(query).toString();
      const url = `${options.baseUrl}/${options.apiVersion}/${path}${search ? `?${search}` : ''}`;
      return call(url, {}, readJson);
    },
    async getBytes(url) {
      return call(url, {}, async (response) => ({
        data: new Uint8Array(await response.arrayBuffer()),
        contentType: response.headers.get('content-type'),
      }));
    },
  };
}
