import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { Session } from 'node:inspector/promises';
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
 * argv: `<bare|threadline> [broadcast-profile-path]`: with a path, the broadcast alone is also
 * profiled (through the inspector) and written there, so its CPU is not lost among the connect's.
 */

const [mode, broadcastProfile] = process.argv.slice(2) as ['bare' | 'threadline', string?];
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

/** Starts a CPU profile of this thread through the inspector (sampling every 100 µs). */
async function startProfile(): Promise<Session> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  return session;
}

async function writeProfile(session: Session, path: string): Promise<void> {
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(path, JSON.stringify(profile));
  session.disconnect();
  console.error(`broadcast profile written to ${path}`);
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
    /**
     * Sends the message to `count` users; `startedAt` is on the clock the clients share, `cpuMs`
     * the process's CPU time (user and system) until every send call resolved. With a
     * `profilePath` (or the argv one) the broadcast is profiled to it.
     */
    async broadcast(input: { count: number; profilePath?: string }) {
      const profilePath = input.profilePath ?? broadcastProfile;
      const session = profilePath === undefined ? undefined : await startProfile();
      const cpu = process.cpuUsage();
      const startedAt = sharedNow();
      const { accepted } = await broadcast(input.count);
      const finishedAt = sharedNow();
      const used = process.cpuUsage(cpu);
      if (session !== undefined) await writeProfile(session, profilePath as string);
      return { startedAt, finishedAt, accepted, cpuMs: (used.user + used.system) / 1_000 };
    },
  },
);
