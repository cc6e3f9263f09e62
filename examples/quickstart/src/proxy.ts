import { type IncomingMessage, request, type ServerResponse } from 'node:http';

/** A path prefix of the demo passed through to an emulator's own pages (`/phone`, `/inbox`, …). */
export interface ProxyRoute {
  /** `/phone` matches `/phone`, `/phone?…` and `/phone/…`. */
  prefix: string;
  /** The emulator's origin, e.g. `http://127.0.0.1:41234`. */
  target: () => string;
  /** What the visitor sees when the emulator does not answer. */
  name: string;
}

/** Whether a path belongs to a proxied prefix. */
export function matchesPrefix(pathname: string, prefix: string): boolean {
  return pathname === prefix || pathname.startsWith(`${prefix}/`);
}

/**
 * Passes a request through to an emulator's page, so the whole demo is one port (the emulators'
 * APIs stay on their own ports, which only the adapters call). The emulators' pages use absolute
 * paths (`/phone/...`, `/messenger/...`), and their live updates are Server-Sent Events: the
 * answer is piped as it streams.
 */
export function proxyTo(route: ProxyRoute, req: IncomingMessage, res: ServerResponse): void {
  const target = new URL(req.url ?? route.prefix, route.target());
  const upstream = request(
    target,
    { method: req.method, headers: { ...req.headers, host: target.host } },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', () => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(`The ${route.name} emulator is not answering.`);
  });
  // The browser went away (a closed tab): stop the event stream upstream too.
  res.on('close', () => upstream.destroy());
  req.pipe(upstream);
}
