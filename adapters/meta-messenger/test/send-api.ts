import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';

/**
 * An msw stand-in for the Send API at the network edge: the adapter's real fetch code runs and
 * every request is recorded. Answers are Meta's documented shapes
 * (`{"recipient_id":…,"message_id":"m_…"}`, the Graph error envelope); failures are programmed
 * one at a time.
 * Source: https://developers.facebook.com/docs/messenger-platform/reference/send-api
 */

export const GRAPH_BASE_URL = 'https://graph.example.test';
export const API_VERSION = 'v25.0';
export const PAGE_ID = '107000000000001';
export const IG_ACCOUNT_ID = '17841400000000001';
export const APP_ID = '1517776481860111';
export const PAGE_TOKEN = 'test-page-token';
export const APP_SECRET = 'test-app-secret';
export const VERIFY_TOKEN = 'test-verify-token';

/** Options every test adapter shares. */
export const baseOptions = {
  pageId: PAGE_ID,
  pageAccessToken: PAGE_TOKEN,
  appSecret: APP_SECRET,
  verifyToken: VERIFY_TOKEN,
  appId: APP_ID,
  baseUrl: GRAPH_BASE_URL,
  apiVersion: API_VERSION,
};

export interface RecordedRequest {
  url: string;
  authorization: string | null;
  // biome-ignore lint/suspicious/noExplicitAny: request bodies are asserted as JSON literals
  body: any;
}

type Responder = () => Response;

export interface SendApiMock {
  readonly requests: RecordedRequest[];
  /** Bodies that carried a `message` (not sender actions). */
  messages(): RecordedRequest['body'][];
  /** Bodies that carried a `sender_action`. */
  actions(): RecordedRequest['body'][];
  /** The next call answers Meta's error envelope. */
  fail(httpStatus: number, code: number, subcode?: number, times?: number): void;
  respondWith(respond: Responder, times?: number): void;
  reset(): void;
}

/** Creates the mock and registers an msw server for the current test file. */
export function useSendApiMock(): SendApiMock {
  const requests: RecordedRequest[] = [];
  const programmed: Responder[] = [];
  let next = 1;
  const server = setupServer(
    http.post(`${GRAPH_BASE_URL}/${API_VERSION}/${PAGE_ID}/messages`, async ({ request }) => {
      const body = JSON.parse(await request.text());
      requests.push({
        url: request.url,
        authorization: request.headers.get('authorization'),
        body,
      });
      const answer = programmed.shift();
      if (answer) return answer();
      if (body.sender_action) return HttpResponse.json({ recipient_id: body.recipient.id });
      return HttpResponse.json({ recipient_id: body.recipient.id, message_id: `m_out_${next++}` });
    }),
  );
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => {
    requests.length = 0;
    programmed.length = 0;
  });
  afterAll(() => server.close());
  return {
    requests,
    messages: () => requests.filter((r) => r.body.message).map((r) => r.body),
    actions: () => requests.filter((r) => r.body.sender_action).map((r) => r.body),
    fail(httpStatus, code, subcode, times = 1) {
      for (let i = 0; i < times; i += 1) {
        programmed.push(() =>
          HttpResponse.json(
            {
              error: {
                message: `(#${code}) test failure`,
                type: 'OAuthException',
                code,
                ...(subcode === undefined ? {} : { error_subcode: subcode }),
                fbtrace_id: 'AbCdEf',
              },
            },
            { status: httpStatus },
          ),
        );
      }
    },
    respondWith(respond, times = 1) {
      for (let i = 0; i < times; i += 1) programmed.push(respond);
    },
    reset() {
      requests.length = 0;
      programmed.length = 0;
    },
  };
}
