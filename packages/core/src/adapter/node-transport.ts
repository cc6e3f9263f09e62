// The modules themselves, read at call time: a host's or a test's interceptor (msw, nock) patches
// `request` on them, which a named import would not see.
import http, { type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import https from 'node:https';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';

/**
 * The part of a web `Response` adapters read from a provider's answer. A `Response` is one, so
 * an injected `fetch` answers with no adapter; the default transport builds a lighter one.
 */
export interface HttpAnswer {
  readonly ok: boolean;
  readonly status: number;
  readonly statusText: string;
  readonly headers: {
    /** The header's value, several joined with `, `, or `null`; names are case-insensitive. */
    get(name: string): string | null;
    forEach(callback: (value: string, name: string) => void): void;
  };
  text(): Promise<string>;
  json(): Promise<unknown>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/**
 * How many `307`/`308` redirects a call follows, as `fetch` does (its spec's limit).
 * https://fetch.spec.whatwg.org/#http-redirect-fetch
 */
export const MAX_REDIRECTS = 20;

/** Request bodies the Node transport writes itself; any other body goes to `fetch`. */
type SimpleBody = string | URLSearchParams | Uint8Array | undefined | null;

function isSimpleBody(body: RequestInit['body']): body is SimpleBody {
  return (
    body === undefined ||
    body === null ||
    typeof body === 'string' ||
    body instanceof URLSearchParams ||
    body instanceof Uint8Array
  );
}

/**
 * Whether {@link nodeHttpCall} takes this request. Reads (`GET`, `HEAD`: media downloads that
 * redirect to a CDN, lookups) and streamed or multipart bodies stay with `fetch`, which follows
 * every redirect and encodes every body kind; sends and status posts (a string or form body) take
 * the lighter path.
 */
export function takesNodeHttp(url: URL, init: RequestInit): boolean {
  const method = (init.method ?? 'GET').toUpperCase();
  return (
    // A runtime whose `node:http` has no client (some edge runtimes' compatibility layers).
    typeof http.request === 'function' &&
    method !== 'GET' &&
    method !== 'HEAD' &&
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    isSimpleBody(init.body)
  );
}

function outgoingHeaders(init: RequestInit, body: string | Uint8Array | undefined) {
  const headers: OutgoingHttpHeaders = {};
  // `Headers` takes every form `HeadersInit` has and lowercases the names, as the wire wants.
  new Headers(init.headers).forEach((value, name) => {
    headers[name] = value;
  });
  // What `fetch` would send for a form body, and the length it always sets.
  if (init.body instanceof URLSearchParams && headers['content-type'] === undefined)
    headers['content-type'] = 'application/x-www-form-urlencoded;charset=UTF-8';
  headers['content-length'] = body === undefined ? 0 : Buffer.byteLength(body);
  // Only what the reader below can undo.
  headers['accept-encoding'] ??= 'gzip, deflate, br';
  return headers;
}

/** The answer's body, decoded as the server's `content-encoding` says. */
function readBody(response: IncomingMessage): Promise<Buffer> {
  const encoding = String(response.headers['content-encoding'] ?? '').toLowerCase();
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? createGunzip()
      : encoding === 'deflate'
        ? createInflate()
        : encoding === 'br'
          ? createBrotliDecompress()
          : undefined;
  const stream = decoder === undefined ? response : response.pipe(decoder);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () =>
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)),
    );
    stream.on('error', reject);
    if (decoder !== undefined) response.on('error', reject);
    // A connection cut mid-body: `fetch` rejects the body read; so do we.
    response.on('aborted', () =>
      reject(new Error('the connection closed before the answer ended')),
    );
  });
}

function answerOf(response: IncomingMessage, body: Promise<Buffer>): HttpAnswer {
  const raw = response.headers;
  const status = response.statusCode ?? 0;
  const get = (name: string): string | null => {
    const value = raw[name.toLowerCase()];
    return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
  };
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText: response.statusMessage ?? '',
    headers: {
      get,
      forEach(callback) {
        for (const name of Object.keys(raw)) callback(get(name) as string, name);
      },
    },
    text: async () => (await body).toString('utf8'),
    json: async () => JSON.parse((await body).toString('utf8')) as unknown,
    arrayBuffer: async () => {
      const data = await body;
      return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
    },
  };
}

/**
 * One request; resolves when the answer's head arrives, as `fetch` does, with its body still being
 * read. An abort before the head rejects the call with the signal's reason (a `TimeoutError` for
 * the deadline, the caller's own reason otherwise); an abort or a cut connection after it rejects
 * only the body, so an adapter can tell "no answer" (may retry) from "a 2xx it could not read" (the
 * provider may have taken the message).
 */
function exchange(
  url: URL,
  method: string,
  headers: OutgoingHttpHeaders,
  body: string | Uint8Array | undefined,
  signal: AbortSignal,
  onSent: (() => void) | undefined,
): Promise<{ response: IncomingMessage; body: Promise<Buffer> }> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    // The global agents: keep-alive by default since Node 19, and whatever agent a host set.
    const request =
      url.protocol === 'https:'
        ? https.request(url, { method, headers })
        : http.request(url, { method, headers });
    // Before the head, an abort fails the call; after it, only the body. Removed once the body is
    // read: a deadline signal outlives its calls, and a finished request's socket is another's.
    let fail: (reason: unknown) => void = reject;
    const onAbort = () => {
      fail(signal.reason);
      request.destroy();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    const settle = () => signal.removeEventListener('abort', onAbort);
    request.on('error', (error) => {
      settle();
      fail(error);
    });
    // The whole request is with the kernel: on its way to the server.
    if (onSent !== undefined) request.once('finish', onSent);
    request.on('response', (response) => {
      const data = new Promise<Buffer>((resolveBody, rejectBody) => {
        fail = rejectBody;
        readBody(response).then(resolveBody, rejectBody);
      }).finally(settle);
      // Read or not, a failed body must not become an unhandled rejection.
      data.catch(() => undefined);
      resolve({ response, body: data });
    });
    request.end(body);
  });
}

/**
 * One HTTP call over `node:http`/`node:https` with the global agents, its answer read whole. At
 * hundreds of sends per second `fetch` was most of a send's CPU (its web streams, `Headers` and
 * `Response` objects): a loopback POST loop on the bench machine made about 2,600 calls per CPU-second
 * with `fetch` and about 16,000 with `node:http`. Only requests {@link takesNodeHttp} accepts;
 * `307`/`308` are followed with the same method and body, other redirects are answered as they are
 * (a provider's send API does not redirect).
 */
export async function nodeHttpCall(
  url: URL,
  init: RequestInit,
  signal: AbortSignal,
  onSent?: () => void,
): Promise<HttpAnswer> {
  const method = (init.method ?? 'GET').toUpperCase();
  const body =
    init.body instanceof URLSearchParams
      ? init.body.toString()
      : ((init.body ?? undefined) as string | Uint8Array | undefined);
  const headers = outgoingHeaders(init, body);
  let target = url;
  for (let hop = 0; ; hop += 1) {
    const answer = await exchange(target, method, headers, body, signal, onSent);
    const location = answer.response.headers.location;
    const status = answer.response.statusCode;
    if ((status === 307 || status === 308) && location !== undefined) {
      if (hop === MAX_REDIRECTS) throw new TypeError(`more than ${MAX_REDIRECTS} redirects`);
      // Drained, so the connection goes back to the agent.
      await answer.body.catch(() => undefined);
      const next = new URL(location, target);
      // As `fetch` does: credentials are not carried to another origin.
      if (next.origin !== target.origin) delete headers.authorization;
      target = next;
      continue;
    }
    return answerOf(answer.response, answer.body);
  }
}
