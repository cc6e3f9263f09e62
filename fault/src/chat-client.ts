import WebSocket from 'ws';

/** What one abusive or ordinary web chat socket saw. */
export interface ChatSocket {
  readonly ws: WebSocket;
  /** Every text frame received, parsed (or the raw text when it was not JSON). */
  readonly frames: Array<Record<string, unknown>>;
  /** Resolves once the socket is open (or closed before opening). */
  readonly settled: Promise<void>;
  closed: boolean;
  /** The close code the server sent (4403: address linked to another user), once closed. */
  closeCode?: number;
}

/** How long a socket may take to open or be refused on a loaded machine. */
export const CONNECT_TIMEOUT_MS = 10_000;

/** A `ws` client on `url` with `token` (if any), recording every frame. */
export function openChatSocket(url: string, token?: string): ChatSocket {
  const target = new URL(url);
  if (token !== undefined) target.searchParams.set('token', token);
  const ws = new WebSocket(target, { perMessageDeflate: false });
  const socket: ChatSocket = {
    ws,
    frames: [],
    closed: false,
    settled: new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, CONNECT_TIMEOUT_MS);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      ws.once('open', done);
      ws.once('close', done);
      ws.once('error', done);
    }),
  };
  ws.on('message', (data) => {
    const text = String(data);
    try {
      socket.frames.push(JSON.parse(text) as Record<string, unknown>);
    } catch {
      socket.frames.push({ raw: text });
    }
  });
  ws.on('close', (code) => {
    socket.closed = true;
    socket.closeCode = code;
  });
  ws.on('error', () => {});
  return socket;
}

/** The texts of the `message` frames a socket received. */
export function messageTexts(socket: ChatSocket): string[] {
  return socket.frames
    .filter((frame) => frame.type === 'message' && typeof frame.text === 'string')
    .map((frame) => frame.text as string);
}

/** The welcome frame's visitor address, once the socket was accepted. */
export function visitorId(socket: ChatSocket): string | undefined {
  const welcome = socket.frames.find((frame) => frame.type === 'welcome');
  return typeof welcome?.visitorId === 'string' ? welcome.visitorId : undefined;
}

/** The welcome frame's Threadline user id, once the socket was accepted. */
export function welcomedUserId(socket: ChatSocket): string | undefined {
  const welcome = socket.frames.find((frame) => frame.type === 'welcome');
  return typeof welcome?.userId === 'string' ? welcome.userId : undefined;
}
