import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * How often an idle stream gets a comment line. Proxies and browsers drop silent connections
 * after 30–120 s; 15 s keeps the phone page connected without noticeable traffic.
 */
export const SSE_HEARTBEAT_MS = 15_000;

/** Server-Sent Event streams grouped by a key (for the phone page: the person's number). */
export interface SseHub {
  /** Turns `res` into an event stream for `key`; `onClose` runs when the client goes away. */
  open(key: string, req: IncomingMessage, res: ServerResponse, onClose?: () => void): void;
  /** Sends one event to every stream open for `key`. */
  send(key: string, event: string, data: unknown): void;
  /** Sends one event to a single stream (the snapshot a new client starts from). */
  sendTo(res: ServerResponse, event: string, data: unknown): void;
  /** How many streams are open for `key`. */
  count(key: string): number;
  /** Ends every stream (at stop). */
  closeAll(): void;
}

function frame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * Creates an {@link SseHub}. SSE rather than WebSocket: one-way updates are all the page needs,
 * browsers reconnect on their own, and it needs no dependency.
 *
 * @example
 * ```ts
 * const hub = createSseHub();
 * hub.open('447700900123', req, res);
 * hub.send('447700900123', 'entry', { text: 'hello' });
 * ```
 */
export function createSseHub(): SseHub {
  const streams = new Map<string, Set<ServerResponse>>();
  const heartbeat = setInterval(() => {
    for (const set of streams.values()) for (const res of set) res.write(': ping\n\n');
  }, SSE_HEARTBEAT_MS);
  // The heartbeat must never keep a test process or a finished demo alive.
  heartbeat.unref();

  return {
    open(key, req, res, onClose) {
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      });
      res.write(': connected\n\n');
      let set = streams.get(key);
      if (set === undefined) {
        set = new Set();
        streams.set(key, set);
      }
      set.add(res);
      req.on('close', () => {
        set.delete(res);
        onClose?.();
      });
    },
    send(key, event, data) {
      for (const res of streams.get(key) ?? []) res.write(frame(event, data));
    },
    sendTo(res, event, data) {
      res.write(frame(event, data));
    },
    count: (key) => streams.get(key)?.size ?? 0,
    closeAll() {
      clearInterval(heartbeat);
      for (const set of streams.values()) for (const res of set) res.end();
      streams.clear();
    },
  };
}
