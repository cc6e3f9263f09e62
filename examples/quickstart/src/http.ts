import type { Server, ServerResponse } from 'node:http';

/** Listens on `host:port`; a port in use is reported with what to do about it. */
export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`Port ${port} on ${host} is in use: start with PORT=<another port>`)
          : error,
      );
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolvePromise();
    });
  });
}

/** Stops accepting at once; resolves when the last connection is gone (cut after 2 s). */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolvePromise) => {
    server.close(() => resolvePromise());
    server.closeIdleConnections();
    // The phone page's event streams never end by themselves; requests in flight get 2 s.
    setTimeout(() => server.closeAllConnections(), 2_000).unref();
  });
}

export function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string | Buffer,
): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

export function sendHtml(res: ServerResponse, html: string): void {
  send(res, 200, 'text/html; charset=utf-8', html);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, 'application/json', JSON.stringify(body));
}
