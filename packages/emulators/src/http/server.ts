import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendJson } from './respond';

/** A running emulator HTTP server. */
export interface RunningServer {
  /** `http://host:port`, with the port the OS picked when asked for port 0. */
  readonly url: string;
  readonly port: number;
  /** Stops listening and drops open connections (SSE streams included). */
  close(): Promise<void>;
}

/** What {@link listen} needs. */
export interface ListenOptions {
  host: string;
  port: number;
  handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
}

/**
 * Starts a `node:http` server. A handler that throws answers 500 instead of hanging the client,
 * because a hung request in an integration test looks like a bug in the adapter under test.
 *
 * @example
 * ```ts
 * const server = await listen({ host: '127.0.0.1', port: 0, handler: async (req, res) => res.end('ok') });
 * await fetch(server.url);
 * await server.close();
 * ```
 */
export async function listen(options: ListenOptions): Promise<RunningServer> {
  const server = createServer((req, res) => {
    options.handler(req, res).catch((error: unknown) => {
      if (res.headersSent) return res.destroy();
      sendJson(res, 500, { error: { message: `Emulator error: ${String(error)}` } });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets and SSE streams would otherwise hold close() open indefinitely.
        server.closeAllConnections();
      }),
  };
}
