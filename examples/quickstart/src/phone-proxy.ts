import { type IncomingMessage, request, type ServerResponse } from 'node:http';

/** Whether a path belongs to the emulator's phone page (`/phone`, `/phone/events`, …). */
export function isPhonePath(pathname: string): boolean {
  return pathname === '/phone' || pathname.startsWith('/phone/');
}

/**
 * Passes a phone-page request through to the WhatsApp emulator, so the whole demo is one port
 * (the emulator's Graph API stays on its own, which only the adapter calls). The page uses
 * absolute `/phone/...` paths, and its live updates are Server-Sent Events: the answer is piped
 * as it streams.
 */
export function proxyToEmulator(
  emulatorUrl: string,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  const target = new URL(req.url ?? '/phone', emulatorUrl);
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
    res.end('The WhatsApp emulator is not answering.');
  });
  // The browser went away (a closed tab): stop the event stream upstream too.
  res.on('close', () => upstream.destroy());
  req.pipe(upstream);
}
