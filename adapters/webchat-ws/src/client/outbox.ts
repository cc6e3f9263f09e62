import type { ClientFrame } from '../protocol/frames';
import type { ChatConnection } from './connection';
import type { ChatMessage, Conversation } from './conversation';

/** The widget sends a typing frame at most this often; the server throttles to the same. */
const TYPING_INTERVAL_MS = 2_000;
/** A frame refused with `not_recorded` is resent after this long. */
const RESEND_DELAY_MS = 2_000;

/**
 * What the visitor sends: messages, kept `sending` and resent until the server acknowledges them
 * (the server dedupes by `clientMsgId`, so a resend is never a second message), typing and reads.
 */
export interface Outbox {
  /** Adds the message as `sending` and writes it if the connection is caught up. */
  send(text: string, options?: { payload?: string }): ChatMessage;
  /** Tells the agent the visitor is typing (throttled to one frame per 2 s). */
  typing(): void;
  /** Reports everything up to `seq` (default: everything received) as read. */
  markRead(seq?: number): void;
  /** Writes every message still `sending` again (after a reconnection caught up). */
  resendPending(): void;
  /** The server acknowledged the message: its payload need not be kept for a resend. */
  acknowledged(clientMsgId: string): void;
  /** The server could not record the message: it is resent after a pause, if still unacknowledged. */
  resendLater(clientMsgId: string): void;
}

function newClientMsgId(): string {
  const random = globalThis.crypto?.randomUUID?.();
  return `c-${random ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`}`;
}

/** Creates the outbox of a client's connection and conversation. */
export function createOutbox(input: {
  connection: Pick<ChatConnection, 'synced' | 'write'>;
  conversation: Conversation;
}): Outbox {
  const { connection, conversation } = input;
  /** Payloads of messages not yet acknowledged, to resend them whole. */
  const payloads = new Map<string, string>();
  let readSent = 0;
  let lastTypingAt = Number.NEGATIVE_INFINITY;

  function messageFrame(message: ChatMessage): ClientFrame {
    const clientMsgId = message.clientMsgId as string;
    const payload = payloads.get(clientMsgId);
    return {
      type: 'message',
      clientMsgId,
      text: message.text,
      ...(payload === undefined ? {} : { payload }),
    };
  }

  return {
    send(text, sendOptions = {}) {
      const clientMsgId = newClientMsgId();
      const message: ChatMessage = {
        key: clientMsgId,
        clientMsgId,
        from: 'visitor',
        text,
        parts: [{ type: 'text', text }],
        at: new Date().toISOString(),
        status: 'sending',
        version: 0,
      };
      if (sendOptions.payload !== undefined) payloads.set(clientMsgId, sendOptions.payload);
      conversation.add(message);
      if (connection.synced) connection.write(messageFrame(message));
      return message;
    },
    typing() {
      const now = Date.now();
      if (now - lastTypingAt < TYPING_INTERVAL_MS) return;
      if (connection.synced && connection.write({ type: 'typing' })) lastTypingAt = now;
    },
    markRead(seq = conversation.lastSeq) {
      if (seq <= readSent || !connection.synced) return;
      if (connection.write({ type: 'read', seq })) readSent = seq;
    },
    resendPending() {
      for (const message of conversation.messages) {
        if (message.status !== 'sending' || message.clientMsgId === undefined) continue;
        connection.write(messageFrame(message));
      }
    },
    acknowledged(clientMsgId) {
      payloads.delete(clientMsgId);
    },
    resendLater(clientMsgId) {
      setTimeout(() => {
        const message = conversation.byClientMsgId(clientMsgId);
        if (message?.status === 'sending') connection.write(messageFrame(message));
      }, RESEND_DELAY_MS);
    },
  };
}
