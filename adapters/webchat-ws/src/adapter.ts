import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { ChannelAdapter, ThreadEntry } from '@threadline/core';
import { webChatCapabilities } from './capabilities';
import { PROVIDER } from './errors';
import { resolveOptions, type WebChatAdapterOptions } from './options';
import { WebChatServer } from './server/server';

/** Where a standalone server listens. */
export interface ListenOptions {
  port: number;
  /** Default `127.0.0.1`: expose it deliberately (`0.0.0.0`) behind your proxy. */
  host?: string;
}

/** A standalone server's address. */
export interface ListeningAddress {
  host: string;
  port: number;
  /** The WebSocket URL clients connect to, e.g. `ws://127.0.0.1:8080/webchat`. */
  url: string;
}

/** The web chat adapter: a `ChannelAdapter` plus ways to accept sockets. */
export interface WebChatAdapter extends ChannelAdapter {
  readonly channel: 'webchat';
  /** The URL path sockets connect to (option `path`). */
  readonly path: string;
  /**
   * Accepts sockets on an existing `node:http` (or `https`) server: listens to its `upgrade`
   * event for this adapter's path and leaves other paths alone. Returns a function that detaches.
   */
  attach(server: Server): () => void;
  /**
   * Handles one upgrade request yourself (Express, Fastify, a custom router). Returns `false`,
   * without touching the socket, when the path is not this adapter's.
   */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Runs a server of its own for the sockets; it is closed by `stop()`. */
  listen(options: ListenOptions): Promise<ListeningAddress>;
  /** Sockets open and set up on this instance. */
  readonly connectionCount: number;
  /**
   * Shows an entry of the user's thread from another channel (WhatsApp, email, …) on their open
   * web chat sockets as it happens, instead of only after a reconnect. The host calls it, e.g.
   * from `threadline.on('message.received')`; entries of the web chat itself are skipped (they
   * arrive on their own). Resolves to the sockets reached on this instance; with pub/sub the
   * other instances deliver to theirs. The widget badges them with `show-channels`.
   *
   * @example
   * ```ts
   * threadline.on('message.received', async ({ userId, threadId, seq }) => {
   *   const [entry] = await threadline.store.threads.read(threadId, { after: seq - 1, limit: 1 });
   *   if (entry) await webchat.mirror({ userId, entry });
   * });
   * ```
   */
  mirror(input: { userId: string; entry: ThreadEntry }): Promise<number>;
}

/** Plain HTTP requests to a standalone server: it only speaks WebSocket. */
function upgradeRequired(_request: IncomingMessage, response: ServerResponse): void {
  response.writeHead(426, { 'Content-Type': 'text/plain; charset=utf-8', Upgrade: 'websocket' });
  response.end('This endpoint speaks WebSocket only.');
}

/**
 * Creates the web chat adapter. Add it to `createThreadline({ adapters })`, then let sockets in
 * with `attach(server)` (your HTTP server), `handleUpgrade` (your router) or `listen` (its own).
 * Visitors authenticate with a token from {@link createVisitorToken}, or anonymously when
 * `allowAnonymous` is set.
 *
 * @throws ConfigError when an option is invalid (the message names it).
 * @example
 * ```ts
 * const webchat = createWebChatAdapter({ secret: process.env.WEBCHAT_SECRET });
 * const threadline = createThreadline({ store, adapters: [webchat], onMessage: … });
 * const server = http.createServer(threadline.toNodeHandler());
 * webchat.attach(server);
 * await threadline.start();
 * server.listen(3000);
 * ```
 */
export function createWebChatAdapter(input: WebChatAdapterOptions): WebChatAdapter {
  const options = resolveOptions(input);
  const server = new WebChatServer(options);
  const ownServers = new Set<Server>();
  const handleUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) =>
    server.handleUpgrade(request, socket, head);

  const attach = (http: Server): (() => void) => {
    const listener = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      handleUpgrade(request, socket, head);
    };
    http.on('upgrade', listener);
    return () => {
      http.off('upgrade', listener);
    };
  };

  return {
    id: options.id,
    channel: 'webchat',
    provider: PROVIDER,
    capabilities: webChatCapabilities,
    path: options.path,
    get connectionCount() {
      return server.connections;
    },
    attach,
    handleUpgrade,
    async listen({ port, host = '127.0.0.1' }) {
      const http = createServer(upgradeRequired);
      attach(http);
      await new Promise<void>((resolve, reject) => {
        http.once('error', reject);
        http.listen(port, host, () => {
          http.off('error', reject);
          resolve();
        });
      });
      ownServers.add(http);
      const address = http.address() as AddressInfo;
      const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      return {
        host: address.address,
        port: address.port,
        url: `ws://${shown}:${address.port}${options.path}`,
      };
    },
    start: (context) => server.start(context),
    async stop() {
      await server.stop();
      const servers = [...ownServers];
      ownServers.clear();
      await Promise.all(
        servers.map(
          (http) =>
            new Promise<void>((resolve) => {
              http.close(() => resolve());
              http.closeAllConnections();
            }),
        ),
      );
    },
    send: (envelope, sendOptions) => server.send(envelope, sendOptions?.signal),
    mirror: (input) => server.mirror(input),
    sendTyping: (request) => server.sendTyping(request),
    markRead: (request) => server.markRead(request),
  };
}
