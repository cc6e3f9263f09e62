import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createThreadline } from '@threadline/core';
import { createMemoryStore } from '@threadline/store-memory';
import { createWebChatAdapter } from '@threadline/webchat-ws';
import { type WebSocket, WebSocketServer } from 'ws';
import { serveCommands } from '../child';
import {
  benchUserId,
  PROACTIVE_TEXT,
  sharedNow,
  WEBCHAT_PATH,
  WEBCHAT_SECRET,
} from '../fixtures/webchat';

/**
 * B5's server, alone in a child process run with `--expose-gc`: `bare` (a `ws` server on
 * `node:http` that keeps its sockets in a set and broadcasts one frame to all) or `threadline`
 * (the web chat adapter attached to `node:http`, memory store, no agent). The broadcast is timed
 * from one clock the clients share (see `sharedNow`).
 *
 * argv: `<bare|threadline>`.
 */

const [mode] = process.argv.slice(2) as ['bare' | 'threadline'];
const gc = (globalThis as { gc?: () => void }).gc;
const KB = 1024;

const server = createServer((_request, response) => response.writeHead(426).end());
server.keepAliveTimeout = 60_000;
const sockets = new Set<WebSocket>();
let broadcast: (count: number) => Promise<{ accepted: number }>;
let connections: () => number;

if (mode === 'bare') {
  const wss = new WebSocketServer({
    server,
    path: WEBCHAT_PATH,
    perMessageDeflate: false,
    clientTracking: false,
  });
  wss.on('connection', (ws) => {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
  });
  connections = () => sockets.size;
  broadcast = async () => {
    // The frame Threadline sends for the same message, so the bytes on the wire match.
    const text = PROACTIVE_TEXT;
    const frame = JSON.stringify({
      type: 'message',
      seq: 1,
      deliveryId: randomUUID(),
      direction: 'outbound',
      channel: 'webchat',
      text,
      parts: [{ type: 'text', text }],
      at: new Date().toISOString(),
    });
    for (const ws of sockets) ws.send(frame);
    return { accepted: sockets.size };
  };
} else {
  const webchat = createWebChatAdapter({ secret: WEBCHAT_SECRET, path: WEBCHAT_PATH });
  const threadline = createThreadline({
    store: createMemoryStore(),
    adapters: [webchat],
    onError: (error) => console.error('B5 server:', error),
  });
  webchat.attach(server);
  await threadline.start();
  connections = () => webchat.connectionCount;
  broadcast = async (count) => {
    // What a host writes to reach every user at once: one send per user, all in flight.
    const results = await Promise.all(
      Array.from({ length: count }, (_, index) =>
        threadline.channels.send({
          channel: 'webchat',
          to: { userId: benchUserId(index) },
          text: PROACTIVE_TEXT,
        }),
      ),
    );
    return { accepted: results.filter((result) => result.delivered).length };
  };
}

await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', 4_096, resolve));

serveCommands(
  { port: (server.address() as AddressInfo).port },
  {
    /** RSS and heap in KB after a full collection, and the sockets set up. */
    memory() {
      gc?.();
      gc?.();
      const { rss, heapUsed } = process.memoryUsage();
      return {
        rssKb: rss / KB,
        heapKb: heapUsed / KB,
        connections: connections(),
        collected: !!gc,
      };
    },
    /** Sends the message to `count` users; `startedAt` is on the clock the clients share. */
    async broadcast(input: { count: number }) {
      const startedAt = sharedNow();
      const { accepted } = await broadcast(input.count);
      return { startedAt, finishedAt: sharedNow(), accepted };
    },
  },
);
