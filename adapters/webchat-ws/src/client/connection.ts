import { CLOSE_CODES } from '../protocol/close-codes';
import {
  type ClientFrame,
  PROTOCOL_VERSION,
  type ServerFrame,
  type WelcomeFrame,
} from '../protocol/frames';
import type { ChatClientOptions } from './options';
import { createVisitorTokenSource } from './visitor-token';

/** Where the connection is, as a widget shows it. */
export type ConnectionState =
  /** Not started, or `close()`d. */
  | 'idle'
  | 'connecting'
  /** Connected and caught up. */
  | 'open'
  /** Lost; trying again with backoff. */
  | 'reconnecting'
  /** The token was refused or expired, and there is no `token` function to get another. */
  | 'unauthorized'
  /** The user has too many chats open; retried after the longest backoff. */
  | 'too-many-connections'
  /**
   * The token's user may not use this chat address (4403, linked to another user): not retried,
   * since a new token for the same user would be refused again.
   */
  | 'forbidden';

/** The socket of a chat client, kept open: tokens, resume from `lastSeq`, backoff, liveness. */
export interface ChatConnection {
  readonly state: ConnectionState;
  /** Caught up (the server sent `synced`): frames the visitor makes may be written. */
  readonly synced: boolean;
  /** The Threadline user, from the last `welcome`. */
  readonly userId: string | undefined;
  connect(): void;
  /** Closes for good (until `connect()` again). */
  close(): void;
  /** Writes a frame if the socket is open; `false` when it is not. */
  write(frame: ClientFrame): boolean;
  /** Takes in a `welcome`: the user, the heartbeat, an anonymous visitor's token to keep. */
  welcomed(frame: WelcomeFrame): void;
  /** The replay is over: the connection is `open` and the backoff starts again from the bottom. */
  caughtUp(): void;
}

/** What a connection tells the client it belongs to, and asks of it. */
export interface ChatConnectionHooks {
  /** The highest seq the client holds: a reconnection resumes after it. */
  lastSeq(): number;
  onState(state: ConnectionState, detail: { code?: number; reason?: string }): void;
  onFrame(frame: ServerFrame): void;
  /** The server closed the socket over a frame it refused (`BAD_MESSAGE`). */
  onRefused(): void;
}

/** Creates the connection of a chat client; nothing happens until `connect()`. */
export function createChatConnection(input: {
  options: ChatClientOptions;
  /** Jitter for the backoff. */
  random: () => number;
  hooks: ChatConnectionHooks;
}): ChatConnection {
  const { options, random, hooks } = input;
  const Socket = options.WebSocket ?? globalThis.WebSocket;
  const tokens = createVisitorTokenSource(options);
  const backoff = {
    min: options.reconnect?.minDelayMs ?? 500,
    max: options.reconnect?.maxDelayMs ?? 30_000,
    factor: options.reconnect?.factor ?? 2,
  };
  let state: ConnectionState = 'idle';
  let socket: WebSocket | undefined;
  let wanted = false;
  let synced = false;
  let attempt = 0;
  let userId: string | undefined;
  let heartbeatMs = 30_000;
  let lastFrameAt = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let watchdog: ReturnType<typeof setInterval> | undefined;

  function setState(next: ConnectionState, detail: { code?: number; reason?: string } = {}) {
    if (next === state) return;
    state = next;
    hooks.onState(next, detail);
  }

  function write(frame: ClientFrame): boolean {
    if (socket === undefined || socket.readyState !== Socket.OPEN) return false;
    socket.send(JSON.stringify(frame));
    return true;
  }

  function delay(): number {
    const cap = Math.min(backoff.max, backoff.min * backoff.factor ** attempt);
    // "Equal jitter": never less than half the step, so a crowd of clients spreads out without
    // any of them hammering the server with near-zero delays.
    return cap / 2 + (random() * cap) / 2;
  }

  function schedule(ms: number): void {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void open();
    }, ms);
  }

  function onClose(event: CloseEvent): void {
    socket = undefined;
    synced = false;
    clearInterval(watchdog);
    if (!wanted) {
      setState('idle', { code: event.code, reason: event.reason });
      return;
    }
    const detail = { code: event.code, reason: event.reason };
    if (event.code === CLOSE_CODES.UNAUTHORIZED) {
      if (typeof options.token === 'function') {
        setState('reconnecting', detail);
        schedule(0);
        return;
      }
      if (options.token === undefined) tokens.forget();
      else {
        setState('unauthorized', detail);
        wanted = false;
        return;
      }
    }
    if (event.code === CLOSE_CODES.ADDRESS_TAKEN) {
      setState('forbidden', detail);
      wanted = false;
      return;
    }
    if (event.code === CLOSE_CODES.TOO_MANY_CONNECTIONS) {
      setState('too-many-connections', detail);
      schedule(backoff.max);
      return;
    }
    if (event.code === CLOSE_CODES.BAD_MESSAGE) hooks.onRefused();
    setState('reconnecting', detail);
    schedule(delay());
    attempt += 1;
  }

  /** Application-level pings, and giving up on a server that went silent. */
  function watch(ws: WebSocket): void {
    lastFrameAt = Date.now();
    clearInterval(watchdog);
    watchdog = setInterval(
      () => {
        if (socket !== ws) return;
        // Browsers do not expose protocol pings, so the client pings at the application level
        // and gives up on a server it has not heard from for two heartbeats.
        if (Date.now() - lastFrameAt > heartbeatMs * 2 + 5_000) {
          ws.close(CLOSE_CODES.IDLE_TIMEOUT, 'server silent');
          onClose(new CloseEvent('close', { code: CLOSE_CODES.IDLE_TIMEOUT }));
          return;
        }
        write({ type: 'ping' });
      },
      Math.max(1_000, heartbeatMs / 2),
    );
  }

  async function open(): Promise<void> {
    if (!wanted || socket !== undefined) return;
    setState(state === 'idle' ? 'connecting' : 'reconnecting');
    let token: string | undefined;
    try {
      token = await tokens.next();
    } catch (error) {
      console.error('threadline chat: the token function failed', error);
      attempt += 1;
      schedule(delay());
      return;
    }
    if (!wanted || socket !== undefined) return;
    const url = new URL(options.url, globalThis.location?.href);
    url.searchParams.set('v', String(PROTOCOL_VERSION));
    if (token !== undefined) url.searchParams.set('token', token);
    const lastSeq = hooks.lastSeq();
    if (lastSeq > 0) url.searchParams.set('lastSeq', String(lastSeq));
    else url.searchParams.delete('lastSeq');
    const ws = new Socket(url.toString());
    socket = ws;
    ws.onopen = () => watch(ws);
    ws.onmessage = (event) => {
      if (socket !== ws) return;
      try {
        const frame = JSON.parse(String(event.data)) as ServerFrame;
        lastFrameAt = Date.now();
        hooks.onFrame(frame);
      } catch (error) {
        console.error('threadline chat: a server frame could not be handled', error);
      }
    };
    ws.onclose = (event) => {
      if (socket !== ws) return;
      onClose(event);
    };
  }

  return {
    get state() {
      return state;
    },
    get synced() {
      return synced;
    },
    get userId() {
      return userId;
    },
    connect() {
      if (wanted) return;
      wanted = true;
      attempt = 0;
      void open();
    },
    close() {
      wanted = false;
      clearTimeout(retryTimer);
      clearInterval(watchdog);
      const ws = socket;
      socket = undefined;
      ws?.close(CLOSE_CODES.NORMAL, 'closed by the client');
      setState('idle');
    },
    write,
    welcomed(frame) {
      userId = frame.userId;
      heartbeatMs = frame.heartbeatMs;
      if (frame.token !== undefined) tokens.keep(frame.token);
    },
    caughtUp() {
      synced = true;
      attempt = 0;
      setState('open');
    },
  };
}
