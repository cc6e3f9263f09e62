import type { IncomingMessage, ServerResponse } from 'node:http';

/** A Node `http` handler, also usable as Express/Connect middleware (`next` for other routes). */
export type NodeHandler = (
  request: IncomingMessage,
  response: ServerResponse,
  next?: (error?: unknown) => void,
) => void;

/**
 * Adapts a Web-standard `fetch` handler to `node:http` (and Express). The body is streamed through
 * untouched, so mount it before any body parser: signatures are computed over the raw bytes. If a
 * parser already ran and left `request.rawBody` (a Buffer), that is used instead.
 *
 * @example
 * ```ts
 * http.createServer(threadline.toNodeHandler()).listen(3000);
 * app.use(threadline.toNodeHandler()); // Express: other paths fall through to next()
 * ```
 */
export function toNodeHandler(
  handle: (request: Request) => Promise<Response>,
  accepts: (pathname: string) => boolean,
): NodeHandler {
  return (request, response, next) => {
    const host = request.headers.host ?? '127.0.0.1';
    const url = new URL(request.url ?? '/', `http://${host}`);
    if (next && !accepts(url.pathname)) {
      next();
      return;
    }
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) {
      if (value === undefined) continue;
      for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
    }
    const method = request.method ?? 'GET';
    const rawBody = (request as IncomingMessage & { rawBody?: unknown }).rawBody;
    const hasBody = method !== 'GET' && method !== 'HEAD';
    const body = !hasBody
      ? undefined
      : rawBody instanceof Uint8Array
        ? rawBody
        : (ReadableStream.from(request) as ReadableStream<Uint8Array>);
    const webRequest = new Request(url, {
      method,
      headers,
      ...(body === undefined ? {} : { body, duplex: 'half' }),
    } as RequestInit);
    handle(webRequest)
      .then(async (webResponse) => {
        response.statusCode = webResponse.status;
        webResponse.headers.forEach((value, name) => {
          response.setHeader(name, value);
        });
        response.end(Buffer.from(await webResponse.arrayBuffer()));
      })
      .catch((error: unknown) => {
        if (next) {
          next(error);
          return;
        }
        response.statusCode = 500;
        response.end();
      });
  };
}
