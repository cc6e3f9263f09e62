import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type AgentTurn,
  createThreadline,
  type ErrorContext,
  type Threadline,
  type ThreadStore,
} from '@threadline/core';
import { createMemoryStore } from '@threadline/store-memory';
import { createFakeClock, type FakeClock } from '@threadline/testkit';
import { vi } from 'vitest';
import WebSocket from 'ws';
import {
  createVisitorToken,
  createWebChatAdapter,
  type ServerFrame,
  type WebChatAdapter,
  type WebChatAdapterOptions,
} from '../src/index';

export const SECRET = 'test-secret-0123456789-abcdefghijklmnop';

/** One runtime with the web chat adapter attached to a real HTTP server on 127.0.0.1. */
export interface ChatServer {
  url: string;
  port: number;
  http: Server;
  webchat: WebChatAdapter;
  threadline: Threadline;
  store: ThreadStore;
  clock: FakeClock;
  token(userId: string, ttlSeconds?: number): Promise<string>;
  close(): Promise<void>;
}

export async function startChatServer(
  input: {
    store?: ThreadStore;
    clock?: FakeClock;
    options?: Partial<WebChatAdapterOptions>;
    onMessage?: (turn: AgentTurn) => unknown;
    onError?: (error: unknown, context: ErrorContext) => void;
    instanceId?: string;
    port?: number;
  } = {},
): Promise<ChatServer> {
  const clock = input.clock ?? createFakeClock();
  const store = input.store ?? createMemoryStore({ clock });
  const webchat = createWebChatAdapter({ secret: SECRET, ...input.options });
  const threadline = createThreadline({
    store,
    adapters: [webchat],
    clock,
    ...(input.instanceId === undefined ? {} : { instanceId: input.instanceId }),
    outbox: { pollIntervalMs: 3_600_000 },
    jobs: { pollIntervalMs: 3_600_000 },
    ...(input.onMessage === undefined ? {} : { onMessage: input.onMessage }),
    ...(input.onError === undefined ? {} : { onError: input.onError }),
  });
  const http = createServer(threadline.toNodeHandler());
  webchat.attach(http);
  await threadline.start();
  await new Promise<void>((resolve) => http.listen(input.port ?? 0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}${webchat.path}`,
    port,
    http,
    webchat,
    threadline,
    store,
    clock,
    token: (userId, ttlSeconds = 3600) =>
      createVisitorToken({ userId, ttlSeconds }, SECRET, { now: clock.now() }),
    async close() {
      await threadline.stop();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/** A real `ws` client that records every frame and how the socket closed. */
export class TestClient {
  readonly frames: ServerFrame[] = [];
  readonly ws: WebSocket;
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly opened: Promise<void>;

  constructor(url: string, options: { token?: string; lastSeq?: number; autoPong?: boolean } = {}) {
    const target = new URL(url);
    if (options.token !== undefined) target.searchParams.set('token', options.token);
    if (options.lastSeq !== undefined) target.searchParams.set('lastSeq', String(options.lastSeq));
    this.ws = new WebSocket(target, {
      perMessageDeflate: false,
      ...(options.autoPong === undefined ? {} : { autoPong: options.autoPong }),
    });
    this.ws.on('message', (data) => this.frames.push(JSON.parse(String(data)) as ServerFrame));
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
    // A test may only look at `closed` (a refused connection); the rejection is not lost.
    this.opened.catch(() => {});
    this.closed = new Promise((resolve) => {
      this.ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    });
    this.ws.on('error', () => {});
  }

  /** Connects and waits until the server has replayed (the `synced` frame). */
  static async connect(
    url: string,
    options: { token?: string; lastSeq?: number; autoPong?: boolean } = {},
  ): Promise<TestClient> {
    const client = new TestClient(url, options);
    await client.opened;
    await client.next('synced');
    return client;
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Frames of one type received so far. */
  of<T extends ServerFrame['type']>(type: T): Extract<ServerFrame, { type: T }>[] {
    return this.frames.filter(
      (frame): frame is Extract<ServerFrame, { type: T }> => frame.type === type,
    );
  }

  /** Waits for a frame of `type` matching `where`, received at any point (past or future). */
  async next<T extends ServerFrame['type']>(
    type: T,
    where: (frame: Extract<ServerFrame, { type: T }>) => boolean = () => true,
    timeout = 3_000,
  ): Promise<Extract<ServerFrame, { type: T }>> {
    let found: Extract<ServerFrame, { type: T }> | undefined;
    await vi.waitFor(
      () => {
        found = this.of(type).find(where);
        if (found === undefined) throw new Error(`no ${type} frame yet`);
      },
      { timeout, interval: 5 },
    );
    return found as Extract<ServerFrame, { type: T }>;
  }

  /** Sends a message and waits for its ack. */
  async say(text: string, clientMsgId: string) {
    this.send({ type: 'message', clientMsgId, text });
    return this.next('ack', (ack) => ack.clientMsgId === clientMsgId);
  }

  close(): void {
    this.ws.close();
  }
}

/** Opens an upgrade request and reports the HTTP status it was refused with (or 101). */
export function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.on('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => {
      resolve(101);
      ws.close();
    });
    ws.on('error', (error) => {
      if (!String(error.message).includes('Unexpected server response')) reject(error);
    });
  });
}

/** Agent messages (outbound) a client has received, by text. */
export function agentTexts(client: TestClient): string[] {
  return client
    .of('message')
    .filter((frame) => frame.direction === 'outbound')
    .map((frame) => frame.text);
}
