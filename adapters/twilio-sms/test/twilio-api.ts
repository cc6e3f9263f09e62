import type { RenderedMessage } from '@threadline/testkit';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';

/**
 * An msw stand-in for Twilio's Messages API at the network edge: twilio-node and our transport
 * run for real, every request is recorded (form fields, basic auth), answers are Twilio's
 * documented shapes, and failures are programmed one at a time.
 * Source of the shapes: https://www.twilio.com/docs/messaging/api/message-resource
 */

export const ACCOUNT_SID = `AC${'a1'.repeat(16)}`;
export const AUTH_TOKEN = 'test-auth-token';
export const SENDER = '+15017122661';
export const MESSAGING_SERVICE_SID = `MG${'b2'.repeat(16)}`;
export const MESSAGES_URL = `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`;

/** Options every test adapter shares. */
export const baseOptions = { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: SENDER };

/** One `POST Messages.json` that reached the mock. */
export interface RecordedMessage {
  url: string;
  authorization: string | null;
  /** Form fields; `MediaUrl` keeps every value. */
  To: string;
  From?: string;
  MessagingServiceSid?: string;
  Body?: string;
  MediaUrl: string[];
  StatusCallback?: string;
}

type Responder = (request: Request, form: URLSearchParams) => Response | Promise<Response>;

/** Twilio's 201 answer for a created message (the documented example's fields). */
export function createdMessage(sid: string, form: URLSearchParams): Record<string, unknown> {
  return {
    account_sid: ACCOUNT_SID,
    api_version: '2010-04-01',
    body: form.get('Body') ?? '',
    date_created: 'Thu, 24 Aug 2023 05:01:45 +0000',
    date_sent: null,
    date_updated: 'Thu, 24 Aug 2023 05:01:45 +0000',
    direction: 'outbound-api',
    error_code: null,
    error_message: null,
    from: form.get('From'),
    messaging_service_sid: form.get('MessagingServiceSid'),
    num_media: String(form.getAll('MediaUrl').length),
    num_segments: form.get('MessagingServiceSid') ? '0' : '1',
    price: null,
    price_unit: null,
    sid,
    status: form.get('MessagingServiceSid') ? 'accepted' : 'queued',
    subresource_uris: { media: `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/${sid}/Media.json` },
    to: form.get('To'),
    uri: `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/${sid}.json`,
  };
}

/** Twilio's REST error envelope. */
export function twilioError(status: number, code: number, message: string): Response {
  return HttpResponse.json(
    { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
    { status },
  );
}

export interface TwilioMock {
  readonly messages: RecordedMessage[];
  /** The next create answers Twilio's error envelope. */
  fail(status: number, code: number, options?: { message?: string; retryAfter?: string }): void;
  respondWith(respond: Responder): void;
  /** What reached the provider, as the conformance suite compares it. */
  rendered(): RenderedMessage[];
  reset(): void;
}

/** Creates the mock and an msw server for the current test file (any host: see `baseUrl`). */
export function useTwilioMock(): TwilioMock {
  const messages: RecordedMessage[] = [];
  const programmed: Responder[] = [];
  let nextId = 1;

  const handler = http.post(
    '*/2010-04-01/Accounts/:accountSid/Messages.json',
    async ({ request }) => {
      const form = new URLSearchParams(await request.text());
      const next = programmed.shift();
      if (next) return next(request, form);
      messages.push({
        url: request.url,
        authorization: request.headers.get('authorization'),
        To: form.get('To') ?? '',
        ...(form.has('From') ? { From: form.get('From') as string } : {}),
        ...(form.has('MessagingServiceSid')
          ? { MessagingServiceSid: form.get('MessagingServiceSid') as string }
          : {}),
        ...(form.has('Body') ? { Body: form.get('Body') as string } : {}),
        MediaUrl: form.getAll('MediaUrl'),
        ...(form.has('StatusCallback')
          ? { StatusCallback: form.get('StatusCallback') as string }
          : {}),
      });
      const sid = `SM${String(nextId++).padStart(32, '0')}`;
      return HttpResponse.json(createdMessage(sid, form), { status: 201 });
    },
  );
  const server = setupServer(handler);
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers(handler));
  afterAll(() => server.close());

  return {
    messages,
    fail(status, code, options = {}) {
      programmed.push(() => {
        const response = twilioError(status, code, options.message ?? `error ${code}`);
        if (options.retryAfter) response.headers.set('retry-after', options.retryAfter);
        return response;
      });
    },
    respondWith(respond) {
      programmed.push(respond);
    },
    rendered: () =>
      messages.flatMap((message): RenderedMessage[] => [
        ...(message.Body === undefined ? [] : [{ type: 'text' as const, text: message.Body }]),
        ...(message.MediaUrl.length > 0
          ? [
              {
                type: 'component' as const,
                kind: 'images' as const,
                items: message.MediaUrl.length,
              },
            ]
          : []),
      ]),
    reset() {
      messages.length = 0;
      programmed.length = 0;
      nextId = 1;
    },
  };
}
