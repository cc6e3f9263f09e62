import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';

/** A frame the web chat server sends (adapters/webchat-ws/docs/protocol.md), loosely typed. */
export interface ServerFrame {
  type: string;
  seq?: number;
  direction?: string;
  channel?: string;
  text?: string;
  deliveryId?: string;
  clientMsgId?: string;
  userId?: string;
  parts?: Array<{ type: string; items?: Array<{ title: string; imageUrl?: string }> }>;
  replay?: boolean;
}

/**
 * A visitor speaking the web chat protocol over a real socket, as the widget does: connect with
 * a token, send messages with a client id, read frames as they come.
 */
export class ChatVisitor {
  readonly frames: ServerFrame[] = [];
  readonly #socket: WebSocket;
  readonly #waiters = new Set<() => void>();

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    socket.on('message', (data) => {
      this.frames.push(JSON.parse(String(data)) as ServerFrame);
      for (const wake of this.#waiters) wake();
    });
  }

  /** Opens a socket at `<baseUrl>/webchat` with `token` and waits for `welcome`. */
  static async connect(baseUrl: string, token: string): Promise<ChatVisitor> {
    const url = `${baseUrl.replace(/^http/, 'ws').replace(/\/$/, '')}/webchat?v=1&token=${encodeURIComponent(token)}`;
    const socket = new WebSocket(url);
    const visitor = new ChatVisitor(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
      socket.once('unexpected-response', (_request, response) =>
        reject(new Error(`upgrade refused: ${response.statusCode}`)),
      );
    });
    await visitor.next((frame) => frame.type === 'welcome');
    return visitor;
  }

  /** Sends a message; resolves with its `ack` (which carries the thread `seq`). */
  async say(text: string): Promise<ServerFrame> {
    const clientMsgId = `c-${randomUUID()}`;
    this.#socket.send(JSON.stringify({ type: 'message', clientMsgId, text }));
    return this.next((frame) => frame.type === 'ack' && frame.clientMsgId === clientMsgId);
  }

  /** Tells the server everything up to `seq` has been shown. */
  read(seq: number): void {
    this.#socket.send(JSON.stringify({ type: 'read', seq }));
  }

  /** The first frame (already received or still to come) matching `predicate`. */
  next(predicate: (frame: ServerFrame) => boolean, timeoutMs = 10_000): Promise<ServerFrame> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.frames.find(predicate);
        if (!found) return false;
        this.#waiters.delete(wake);
        clearTimeout(timer);
        resolve(found);
        return true;
      };
      const wake = () => void check();
      const timer = setTimeout(() => {
        this.#waiters.delete(wake);
        reject(
          new Error(
            `no matching frame in ${timeoutMs} ms; got ${JSON.stringify(this.frames.map((f) => [f.type, f.text ?? '']))}`,
          ),
        );
      }, timeoutMs);
      if (!check()) this.#waiters.add(wake);
    });
  }

  /** The agent's message that follows the visitor's message at `afterSeq`. */
  reply(afterSeq: number): Promise<ServerFrame> {
    return this.next(
      (frame) =>
        frame.type === 'message' && frame.direction === 'outbound' && (frame.seq ?? 0) > afterSeq,
    );
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.#socket.readyState === WebSocket.CLOSED) return resolve();
      this.#socket.once('close', () => resolve());
      this.#socket.close(1000);
    });
  }
}
