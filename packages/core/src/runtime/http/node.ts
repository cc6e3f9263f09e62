import type { IncomingMessage, ServerResponse } from 'node:http';
import { EMPTY_BODY, type IncomingWebhook, joinChunks } from './incoming';
import { NodeHeaders } from './node-headers';
import { BodyConsumedError, keptNodeBody } from './raw-body';
import type { WebhookRouter } from './router';

/** A Node `http` handler, also usable as Express/Connect middleware (`next` for other routes). */
export type NodeHandler = (
  request: IncomingMessage,
  response: ServerResponse,
  next?: (error?: unknown) => void,
) => void;

/** What the Node edge needs from the runtime. */
export interface NodeEdge {
  router: WebhookRouter;
  /** Whether a path is a webhook route (others go to Express's `next`). */
  accepts(pathname: string): boolean;
}

/**
 * The body of a Node request, read straight from the socket stream under the cap (`null` past
 * it). Raw bytes a framework kept (`request.rawBody`, a `Buffer`/string `request.body`) are used
 * instead; a stream read by a parser that kept nothing rejects with a `BodyConsumedError`.
 */
function readBody(request: IncomingMessage, limit: number): Promise<Uint8Array | null> {
  let kept: Uint8Array | undefined;
  try {
    kept = keptNodeBody(request);
  } catch (error) {
    return Promise.reject(error);
  }
  if (kept !== undefined) return Promise.resolve(kept.byteLength > limit ? null : kept);
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > limit) {
        cleanup();
        // Stop reading but let the socket live, so the 413 still reaches the caller.
        request.pause();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 0 ? EMPTY_BODY : joinChunks(chunks, size));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const cleanup = () => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
  });
}

/** Writes a Web `Response` to Node's `ServerResponse`. */
async function writeResponse(webResponse: Response, response: ServerResponse): Promise<void> {
  response.statusCode = webResponse.status;
  webResponse.headers.forEach((value, name) => {
    response.setHeader(name, value);
  });
  // Most webhook answers are an empty 200: no need to drain a body that is not there.
  if (webResponse.body === null) {
    response.end();
    return;
  }
  response.end(Buffer.from(await webResponse.arrayBuffer()));
}

/**
 * Adapts the webhook routes to `node:http` (and Express). The body is read from the socket as raw
 * bytes, so mount it before any body parser: signatures are computed over the raw bytes. If a
 * parser already ran and kept the bytes (`request.rawBody`, or `request.body` as a `Buffer` or
 * string), those are used; if it kept nothing, the answer is a `BodyConsumedError` naming the fix
 * (passed to `next` under Express, else a `500` with the message). See `docs/frameworks.md`.
 *
 * @example
 * ```ts
 * http.createServer(threadline.toNodeHandler()).listen(3000);
 * app.use(threadline.toNodeHandler()); // Express: other paths fall through to next()
 * ```
 */
export function toNodeHandler({ router, accepts }: NodeEdge): NodeHandler {
  return (request, response, next) => {
    const host = request.headers.host ?? '127.0.0.1';
    // Express strips a mount path from `url` (`app.use('/webhooks', …)`); `originalUrl` keeps it.
    const path = (request as IncomingMessage & { originalUrl?: string }).originalUrl ?? request.url;
    const url = new URL(path ?? '/', `http://${host}`);
    if (next && !accepts(url.pathname)) {
      next();
      return;
    }
    const fail = (error: unknown) => {
      if (next) {
        next(error);
        return;
      }
      response.statusCode = 500;
      if (error instanceof BodyConsumedError) {
        // Said in the answer too: the host sees it in its provider's webhook log.
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ error: error.code, message: error.message }));
        return;
      }
      response.end();
    };
    const method = request.method ?? 'GET';
    if (Number(request.headers['content-length'] ?? '0') > router.maxBodyBytes) {
      writeResponse(router.tooLarge(), response).catch(fail);
      return;
    }
    // Read from Node's parsed headers on demand, not copied header by header per webhook.
    const headers = new NodeHeaders(request.headers);
    const bodyRead =
      method === 'GET' || method === 'HEAD'
        ? Promise.resolve(EMPTY_BODY)
        : readBody(request, router.maxBodyBytes);
    bodyRead
      .then((body) => {
        if (body === null) {
          // The rest of an oversized body is not worth reading on a kept-alive socket.
          response.setHeader('connection', 'close');
          return router.tooLarge();
        }
        const incoming: IncomingWebhook = { url, method, headers, body };
        return router.handle(incoming);
      })
      .then((webResponse) => writeResponse(webResponse, response))
      .catch(fail);
  };
}
