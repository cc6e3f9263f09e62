import type { ChannelAdapter } from '../../adapter/contract';
import { ThreadlineError } from '../../errors/threadline-error';
import type { RuntimeContext } from '../context';
import type { InboundPipeline } from '../inbound/pipeline';
import { bufferedRequest } from './buffered-request';
import { EMPTY_BODY, type IncomingWebhook, readLimited } from './incoming';
import { BodyConsumedError, type RawBody, rawBodyBytes } from './raw-body';

/** Per-request options of `threadline.fetch`. */
export interface FetchOptions {
  /** The platform's `waitUntil` (Cloudflare, Vercel): slow work after the response is sent. */
  waitUntil?: (promise: Promise<unknown>) => void;
  /**
   * The body's bytes, when the framework read the request first (a `Buffer`, `Uint8Array`,
   * `ArrayBuffer` or string, exactly as received). Without it, the request must be unread.
   */
  rawBody?: RawBody;
}

function json(
  status: number,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/** Whether a request is for the webhook routes at all (the Node helper passes others to `next`). */
export function isWebhookPath(ctx: RuntimeContext, pathname: string): boolean {
  return pathname.startsWith(`${ctx.options.webhooks.basePath.replace(/\/$/, '')}/`);
}

/**
 * `<adapterId>/rest/of/path` → the adapter id (URI-decoded) and the sub-path after it (`''`, or
 * `/rest/of/path`), so one adapter can serve several routes (an email adapter's unsubscribe and
 * action links beside its inbound webhook). An id containing `/` must be sent encoded (`%2F`).
 */
export function splitRoute(route: string): { adapterId: string; path: string } {
  const slash = route.indexOf('/');
  const id = slash === -1 ? route : route.slice(0, slash);
  return { adapterId: decodeURIComponent(id), path: slash === -1 ? '' : route.slice(slash) };
}

/** The webhook routes, reachable from a Web `Request` or from a body the Node edge already read. */
export interface WebhookRouter {
  /** `threadline.fetch`: checks the route before reading the body, then reads it under the cap. */
  fetch(request: Request, options?: FetchOptions): Promise<Response>;
  /** Routes a request whose body was read already (by the `node:http` edge). */
  handle(incoming: IncomingWebhook, options?: FetchOptions): Promise<Response>;
  /** The 413 answer, for an edge that finds the body over the cap while reading it. */
  tooLarge(): Response;
  /** The body cap (`webhooks.maxBodyBytes`). */
  readonly maxBodyBytes: number;
}

/**
 * `GET|POST <basePath>/:adapterId[/sub/path]` → the adapter's `handleWebhook` (the sub-path in
 * `context.path`), with the body's raw bytes
 * untouched (signatures are computed over them) and capped at `maxBodyBytes` (413 past it).
 * Unknown adapter → 404. A failure before the events were recorded answers 500 so the provider
 * retries; bad input the adapter rejects with a `ValidationError` answers 400.
 */
export function createWebhookRouter(ctx: RuntimeContext, pipeline: InboundPipeline): WebhookRouter {
  const { basePath, maxBodyBytes, publicBaseUrl } = ctx.options.webhooks;
  const prefix = `${basePath.replace(/\/$/, '')}/`;
  const tooLarge = () =>
    json(413, { error: 'payload_too_large', message: `body over ${maxBodyBytes} bytes` });

  /** The adapter a request is for, or the answer that refuses it, decided before any body read. */
  function preflight(url: URL, method: string, bodyBytes: number): ChannelAdapter | Response {
    if (!url.pathname.startsWith(prefix))
      return json(404, { error: 'not_found', message: `no route for ${url.pathname}` });
    const { adapterId } = splitRoute(url.pathname.slice(prefix.length));
    const adapter = ctx.adapters.get(adapterId);
    if (!adapter?.handleWebhook) {
      return json(404, {
        error: 'unknown_adapter',
        message: `no adapter ${JSON.stringify(adapterId)} takes webhooks here`,
      });
    }
    if (method !== 'GET' && method !== 'POST') {
      return json(
        405,
        { error: 'method_not_allowed', message: `${method} is not allowed` },
        { allow: 'GET, POST' },
      );
    }
    if (bodyBytes > maxBodyBytes) return tooLarge();
    return adapter;
  }

  async function dispatch(
    adapter: ChannelAdapter,
    incoming: IncomingWebhook,
    options: FetchOptions,
  ): Promise<Response> {
    const { url, method, headers, body } = incoming;
    const handleWebhook = adapter.handleWebhook as NonNullable<ChannelAdapter['handleWebhook']>;
    // The adapter's one Request, answering body reads from the bytes already read (also passed
    // as `rawBody`).
    const request = bufferedRequest(url, { method, headers }, body);
    const defer = (work: Promise<unknown>) => {
      const guarded = work.catch((error: unknown) => ctx.reportError(error, { phase: 'inbound' }));
      ctx.background.track(guarded);
      options.waitUntil?.(guarded);
    };
    const publicUrl = publicBaseUrl
      ? new URL(`${url.pathname}${url.search}`, publicBaseUrl).toString()
      : url.toString();
    return ctx.telemetry.span(
      'threadline.webhook',
      {
        'threadline.adapter.id': adapter.id,
        'threadline.channel': adapter.channel,
        'http.request.method': method,
      },
      async (span) => {
        const response = await answer();
        span.set('http.response.status_code', response.status);
        ctx.telemetry.count('threadline.webhooks', {
          'threadline.adapter.id': adapter.id,
          outcome: response.status < 400 ? 'accepted' : 'rejected',
          'http.response.status_code': response.status,
        });
        return response;
      },
      { kind: 'server' },
    );

    async function answer(): Promise<Response> {
      try {
        return await handleWebhook.call(adapter, request, {
          sink: pipeline.sink(defer),
          publicUrl,
          path: splitRoute(url.pathname.slice(prefix.length)).path,
          rawBody: body,
          waitUntil: defer,
        });
      } catch (error) {
        if (error instanceof ThreadlineError && error.category === 'validation') {
          return json(400, { error: error.code, message: error.message });
        }
        ctx.reportError(error, { phase: 'inbound' });
        return json(500, {
          error: 'internal_error',
          message: 'the event was not recorded; retry later',
        });
      }
    }
  }

  return {
    maxBodyBytes,
    tooLarge,
    async fetch(request, options = {}) {
      const url = new URL(request.url);
      // The declared length refuses an oversized body before it is read; the read checks again.
      const declared = Number(request.headers.get('content-length') ?? '0');
      const checked = preflight(url, request.method, declared);
      if (checked instanceof Response) return checked;
      let body: Uint8Array | null = EMPTY_BODY;
      if (options.rawBody !== undefined) {
        body = rawBodyBytes(options.rawBody);
        if (body.byteLength > maxBodyBytes) return tooLarge();
      } else if (request.method === 'POST') {
        if (request.bodyUsed) {
          const error = new BodyConsumedError('fetch', 'request.bodyUsed is true');
          ctx.reportError(error, { phase: 'inbound' });
          return json(500, { error: error.code, message: error.message });
        }
        body = await readLimited(request, maxBodyBytes);
      }
      if (body === null) return tooLarge();
      return dispatch(
        checked,
        { url, method: request.method, headers: request.headers, body },
        options,
      );
    },
    async handle(incoming, options = {}) {
      const checked = preflight(incoming.url, incoming.method, incoming.body.byteLength);
      if (checked instanceof Response) return checked;
      return dispatch(checked, incoming, options);
    },
  };
}
