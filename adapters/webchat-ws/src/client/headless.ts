import type { ServerFrame } from '../protocol/frames';
import { type ConnectionState, createChatConnection } from './connection';
import { type ChatMessage, createConversation } from './conversation';
import { createEmitter } from './emitter';
import { type FrameTargets, handleServerFrame } from './frames';
import type { ChatClientOptions } from './options';
import { createOutbox } from './outbox';

/** Events of a {@link ChatClient}, with their listener arguments. */
export interface ChatClientEvents {
  /** The connection state changed; `code` is the close code that caused it, when there was one. */
  state: [state: ConnectionState, detail: { code?: number; reason?: string }];
  /** The message list changed (a message was added, updated or removed). */
  messages: [messages: readonly ChatMessage[]];
  /** The agent is typing. */
  typing: [];
  /** The agent asked the page to navigate (a live `::: navigate` block; never a replayed one). */
  navigate: [detail: { path: string; query: Record<string, string> }];
  /** Every frame from the server, for custom UIs that want more. */
  frame: [frame: ServerFrame];
}

/** A framework-free chat client: connects, resumes, sends and keeps the message list. */
export interface ChatClient {
  readonly state: ConnectionState;
  readonly messages: readonly ChatMessage[];
  /** The highest thread seq received: sent as `lastSeq` on reconnect. */
  readonly lastSeq: number;
  readonly userId: string | undefined;
  connect(): void;
  /** Closes for good (until `connect()` again). */
  close(): void;
  /** Sends a message; it shows at once as `sending` and is resent until acknowledged. */
  send(text: string, options?: { payload?: string }): ChatMessage;
  /** Tells the agent the visitor is typing (throttled to one frame per 2 s). */
  typing(): void;
  /** Reports everything up to `seq` (default: everything received) as read. */
  markRead(seq?: number): void;
  on<E extends keyof ChatClientEvents>(
    event: E,
    listener: (...args: ChatClientEvents[E]) => void,
  ): () => void;
}

/**
 * Creates a headless chat client for custom UIs: the protocol without any rendering.
 * `<threadline-chat>` is built on it.
 *
 * @example
 * ```ts
 * const client = createChatClient({ url: 'wss://example.com/webchat', token: () => fetchToken() });
 * client.on('messages', (messages) => render(messages));
 * client.on('state', (state) => showState(state));
 * client.connect();
 * client.send('Hello!');
 * ```
 */
export function createChatClient(options: ChatClientOptions): ChatClient {
  // Four parts: the connection (tokens, resume, backoff), the message list, what the visitor
  // sends, and the frame handling that ties server frames to the three.
  const random = options.random ?? Math.random;
  const events = createEmitter<ChatClientEvents>();
  const conversation = createConversation({
    onChange: (messages) => events.emit('messages', messages),
    onNavigate: (detail) => events.emit('navigate', detail),
    random,
  });
  const connection = createChatConnection({
    options,
    random,
    hooks: {
      lastSeq: () => conversation.lastSeq,
      onState: (state, detail) => events.emit('state', state, detail),
      onFrame: (frame) => handleServerFrame(frame, targets),
      onRefused: () => conversation.failSending(),
    },
  });
  const outbox = createOutbox({ connection, conversation });
  const targets: FrameTargets = {
    connection,
    conversation,
    outbox,
    onFrame: (frame) => events.emit('frame', frame),
    onTyping: () => events.emit('typing'),
  };

  return {
    get state() {
      return connection.state;
    },
    get messages() {
      return conversation.messages;
    },
    get lastSeq() {
      return conversation.lastSeq;
    },
    get userId() {
      return connection.userId;
    },
    connect: () => connection.connect(),
    close: () => connection.close(),
    send: (text, sendOptions) => outbox.send(text, sendOptions),
    typing: () => outbox.typing(),
    markRead: (seq) => outbox.markRead(seq),
    on: (event, listener) => events.on(event, listener),
  };
}
