import { callWithTimeout, DeliveryError } from '@threadline/core';
import { z } from 'zod';
import { deliveryErrorFromSendApi, type SendApiErrorBody } from './errors';

/**
 * The Send API over `fetch`: `POST /{page-id}/messages` with the Page token, for messages and
 * sender actions alike (Instagram messages go through the linked Page too). Every call has a
 * timeout; every failure becomes a `DeliveryError` through the error table.
 * Source: https://developers.facebook.com/docs/messenger-platform/reference/send-api
 */

/** What the client needs from the options. */
export interface SendApiClientOptions {
  baseUrl: string;
  apiVersion: string;
  pageId: string;
  pageAccessToken: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}

const MessageResponseSchema = z.object({ message_id: z.string().min(1) }).loose();
const ErrorEnvelopeSchema = z.object({
  error: z
    .object({
      code: z.number().optional(),
      error_subcode: z.number().optional(),
      message: z.string().optional(),
      type: z.string().optional(),
      fbtrace_id: z.string().optional(),
    })
    .loose(),
});

/** The Send API client of one adapter. */
export interface SendApiClient {
  /** Sends one message body (`recipient`, `messaging_type`, `message`, …); the `mid` Meta gave it. */
  sendMessage(body: Record<string, unknown>, signal?: AbortSignal): Promise<string>;
  /** Sends a sender action (`typing_on`, `mark_seen`, `react`, …). */
  sendAction(body: Record<string, unknown>): Promise<void>;
}

/**
 * Creates the Send API client. The base URL and version are options so that tests (msw) and
 * `@threadline/emulators` can stand in for Meta.
 *
 * @example
 * ```ts
 * const client = createSendApiClient({ baseUrl: 'https://graph.facebook.com', apiVersion: 'v25.0', pageId, pageAccessToken, timeoutMs: 15_000 });
 * const mid = await client.sendMessage({ recipient: { id: psid }, messaging_type: 'RESPONSE', message: { text: 'hi' } });
 * ```
 */
export function createSendApiClient(options: SendApiClientOptions): SendApiClient {
  const url = `${options.baseUrl}/${options.apiVersion}/${options.pageId}/messages`;
  // Retryable network failures: the request may not have reached Meta (the Send API has no
  // idempotency key, so a retry after a timeout can rarely deliver twice).
  const http = {
    api: 'Send API',
    provider: 'meta',
    timeoutMs: options.timeoutMs,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  };

  async function post(body: Record<string, unknown>, signal?: AbortSignal): Promise<unknown> {
    const init = {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${options.pageAccessToken}`,
      },
      body: JSON.stringify(body),
    };
    const httpCall = signal === undefined ? http : { ...http, signal };
    return callWithTimeout(url, init, httpCall, async (response) => {
      const text = await response.text().catch(() => '');
      if (!response.ok) {
        let error: SendApiErrorBody;
        try {
          error = ErrorEnvelopeSchema.parse(JSON.parse(text)).error;
        } catch {
          error = { message: text.slice(0, 200) || response.statusText };
        }
        throw deliveryErrorFromSendApi({ httpStatus: response.status, error });
      }
      try {
        return JSON.parse(text) as unknown;
      } catch (error) {
        throw new DeliveryError('Send API answered 2xx with a body that is not JSON', {
          category: 'provider',
          provider: 'meta',
          retryable: false,
          cause: error,
        });
      }
    });
  }

  return {
    async sendMessage(body, signal) {
      const answer = await post(body, signal);
      const parsed = MessageResponseSchema.safeParse(answer);
      if (!parsed.success) {
        // Not retryable: Meta may have taken the message, and a resend would duplicate it.
        throw new DeliveryError('Send API accepted the message but returned no message_id', {
          category: 'provider',
          provider: 'meta',
          retryable: false,
          cause: answer,
        });
      }
      return parsed.data.message_id;
    },
    async sendAction(body) {
      await post(body);
    },
  };
}
