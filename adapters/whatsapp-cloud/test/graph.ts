import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';

/**
 * An msw stand-in for the Graph API at the network edge: the adapter's real fetch code runs, and
 * every request is recorded with its arrival time. Responses are Meta's documented shapes;
 * failures are programmed one at a time with `fail`.
 */

export const GRAPH_BASE_URL = 'https://graph.example.test';
export const API_VERSION = 'v25.0';
export const PHONE_NUMBER_ID = '106540352242922';
export const ACCESS_TOKEN = 'test-access-token';
export const APP_SECRET = 'test-app-secret';
export const VERIFY_TOKEN = 'test-verify-token';
/** Where the mock's media downloads live (Meta uses lookaside.fbsbx.com). */
export const MEDIA_HOST = 'https://media.example.test';

/** Options every test adapter shares. */
export const baseOptions = {
  phoneNumberId: PHONE_NUMBER_ID,
  accessToken: ACCESS_TOKEN,
  appSecret: APP_SECRET,
  verifyToken: VERIFY_TOKEN,
  baseUrl: GRAPH_BASE_URL,
  apiVersion: API_VERSION,
};

/** One request that reached the mock. */
export interface RecordedRequest {
  method: string;
  url: string;
  authorization: string | null;
  // biome-ignore lint/suspicious/noExplicitAny: request bodies are asserted as JSON literals
  body: any;
  /** `performance.now()` when the request arrived. */
  at: number;
}

type Responder = () => Response | Promise<Response>;

/** Options of {@link GraphMock.fail}. */
export interface FailOptions {
  title?: string;
  details?: string;
  retryAfter?: string;
  /** Repeat the failure this many times (default 1). */
  times?: number;
}

export interface GraphMock {
  readonly requests: RecordedRequest[];
  /** Bodies of `POST /messages` that sent a message (not read receipts or typing). */
  messages(): RecordedRequest['body'][];
  /** Bodies of `POST /messages` that were status updates (read, typing). */
  statusUpdates(): RecordedRequest['body'][];
  /** The next `POST /messages` answers Meta's error envelope with `code`. */
  fail(httpStatus: number, code: number, options?: FailOptions): void;
  /** The next `POST /messages` answers with whatever `respond` returns. */
  respondWith(respond: Responder, times?: number): void;
  /** Makes a media id downloadable. */
  addMedia(mediaId: string, file: { data: Uint8Array; mimeType: string; sha256?: string }): void;
  /** Forgets recorded requests, programmed answers and media. */
  reset(): void;
}

/** Creates the mock and registers an msw server for the current test file. */
export function useGraphMock(): GraphMock {
  const requests: RecordedRequest[] = [];
  const programmed: Responder[] = [];
  const media = new Map<string, { data: Uint8Array; mimeType: string; sha256?: string }>();
  let nextId = 1;

  const record = async (request: Request, at: number) => {
    const text = await request.text();
    const entry: RecordedRequest = {
      method: request.method,
      url: request.url,
      authorization: request.headers.get('authorization'),
      body: text === '' ? undefined : JSON.parse(text),
      at,
    };
    requests.push(entry);
    return entry;
  };

  const server = setupServer(
    http.post(`${GRAPH_BASE_URL}/:version/:phoneNumberId/messages`, async ({ request }) => {
      const { body } = await record(request, performance.now());
      const next = programmed.shift();
      if (next) return next();
      if (body.status === 'read') return HttpResponse.json({ success: true });
      const id = `wamid.TEST${String(nextId++).padStart(4, '0')}`;
      return HttpResponse.json({
        messaging_product: 'whatsapp',
        contacts: [{ input: body.to, wa_id: body.to }],
        messages: [{ id }],
      });
    }),
    http.get(`${GRAPH_BASE_URL}/:version/:mediaId`, async ({ request, params }) => {
      await record(request, performance.now());
      const file = media.get(String(params.mediaId));
      if (!file) {
        return HttpResponse.json(
          {
            error: { code: 100, message: 'Unsupported get request', type: 'GraphMethodException' },
          },
          { status: 400 },
        );
      }
      return HttpResponse.json({
        messaging_product: 'whatsapp',
        url: `${MEDIA_HOST}/${params.mediaId}?ext=1`,
        mime_type: file.mimeType,
        ...(file.sha256 === undefined ? {} : { sha256: file.sha256 }),
        file_size: file.data.byteLength,
        id: params.mediaId,
      });
    }),
    http.get(`${MEDIA_HOST}/:mediaId`, async ({ request, params }) => {
      await record(request, performance.now());
      const file = media.get(String(params.mediaId));
      if (!file || request.headers.get('authorization') !== `Bearer ${ACCESS_TOKEN}`) {
        return new HttpResponse(null, { status: 404 });
      }
      return new HttpResponse(file.data, { headers: { 'content-type': file.mimeType } });
    }),
  );

  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => server.close());
  afterEach(() => {
    programmed.length = 0;
  });

  const isMessage = (request: RecordedRequest) =>
    request.method === 'POST' && request.url.endsWith('/messages');

  return {
    requests,
    messages: () =>
      requests
        .filter(isMessage)
        .map((r) => r.body)
        .filter((b) => b.type !== undefined),
    statusUpdates: () =>
      requests
        .filter(isMessage)
        .map((r) => r.body)
        .filter((b) => b.status !== undefined),
    fail(httpStatus, code, options = {}) {
      const responder = () =>
        HttpResponse.json(
          {
            error: {
              message: `(#${code}) ${options.title ?? 'Graph error'}`,
              type: 'OAuthException',
              code,
              error_data: {
                messaging_product: 'whatsapp',
                details: options.details ?? options.title ?? 'details',
              },
              fbtrace_id: 'Az8or2yhqkZfEZ-_4Qn_Bam',
            },
          },
          {
            status: httpStatus,
            ...(options.retryAfter === undefined
              ? {}
              : { headers: { 'retry-after': options.retryAfter } }),
          },
        );
      for (let i = 0; i < (options.times ?? 1); i += 1) programmed.push(responder);
    },
    respondWith(respond, times = 1) {
      for (let i = 0; i < times; i += 1) programmed.push(respond);
    },
    addMedia(mediaId, file) {
      media.set(mediaId, file);
    },
    reset() {
      requests.length = 0;
      programmed.length = 0;
      media.clear();
      nextId = 1;
    },
  };
}
