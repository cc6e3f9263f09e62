import { ThreadlineError } from '../../errors/threadline-error';
import type { RuntimeContext } from '../context';
import type { InboundPipeline } from '../inbound/pipeline';

/** Per-request options of `threadline.fetch`. */
export interface FetchOptions {
  /** The platform's `waitUntil` (Cloudflare, Vercel): slow work after the response is sent. */
  waitUntil?: (promise: Promise<unknown>) => void;
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

/** Reads at most `limit` bytes of a body; `null` when it is longer (the reader stops there). */
async function readLimited(request: Request, limit: number): Promise<Uint8Array | null> {
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/** Whether a request is for the webhook routes at all (the Node helper passes others to `next`). */
export function isWebhookPath(ctx: RuntimeContext, pathname: string): boolean {
  return pathname.startsWith(`${ctx.options.webhooks.basePath.replace(/\/$/, '')}/`);
}

/**
 * `GET|POST <basePath>/:adapterId` → the adapter's `handleWebhook`, with the body's raw bytes
 * untouched (signatures are computed over them) and capped at `maxBodyBytes` (413 past it).
 * Unknown adapter → 404. A failure before the events were recorded answers 500 so the provider
 * retries; bad input the adapter rejects with a `ValidationError` answers 400.
 */
export function createWebhookRouter(ctx: RuntimeContext, pipeline: InboundPipeline) {
  const { basePath, maxBodyBytes, publicBaseUrl } = ctx.options.webhooks;
  const prefix = `${basePath.replace(/\/$/, '')}/`;

  return async function route(request: Request, options: FetchOptions = {}): Promise<Response> {
    const url = new URL(request.url);
    if (!url.pathname.startsWith(prefix))
      return json(404, { error: 'not_found', message: `no route for ${url.pathname}` });
    const adapterId = decodeURIComponent(url.pathname.slice(prefix.length));
    const adapter = ctx.adapters.get(adapterId);
    if (!adapter?.handleWebhook) {
      return json(404, {
        error: 'unknown_adapter',
        message: `no adapter ${JSON.stringify(adapterId)} takes webhooks here`,
      });
    }
    if (request.method !== 'GET' && request.method !== 'POST') {
      return json(
        405,
        { error: 'method_not_allowed', message: `${request.method} is not allowed` },
        { allow: 'GET, POST' },
      );
    }
    const declared = Number(request.headers.get('content-length') ?? '0');
    if (declared > maxBodyBytes)
      return json(413, { error: 'payload_too_large', message: `body over ${maxBodyBytes} bytes` });
    const body =
      request.method === 'POST' ? await readLimited(request, maxBodyBytes) : new Uint8Array(0);
    if (body === null)
      return json(413, { error: 'payload_too_large', message: `body over ${maxBodyBytes} bytes` });
    const raw = new Request(request.url, {
      method: request.method,
      headers: request.headers,
      ...(request.method === 'POST' ? { body } : {}),
    });
    const defer = (work: Promise<unknown>) => {
      const guarded = work.catch((error: unknown) => ctx.reportError(error, { phase: 'inbound' }));
      ctx.background.track(guarded);
      options.waitUntil?.(guarded);
    };
    const publicUrl = publicBaseUrl
      ? new URL(`${url.pathname}${url.search}`, publicBaseUrl).toString()
      : request.url;
    try {
      return await adapter.handleWebhook(raw, {
        sink: pipeline.sink(defer),
        publicUrl,
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
  };
}
