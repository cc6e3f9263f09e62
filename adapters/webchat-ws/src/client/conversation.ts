import type {
  AckFrame,
  MessageFrame,
  ReceiptFrame,
  StreamEndFrame,
  StreamFrame,
  SyncedFrame,
  WireMedia,
  WirePart,
} from '../protocol/frames';

/** One message as a UI shows it. */
export interface ChatMessage {
  /** Stable while the message lives: the client id, the delivery id, or `seq:<n>`. */
  key: string;
  seq?: number;
  deliveryId?: string;
  clientMsgId?: string;
  /** `visitor`: this user (any of their tabs); `agent`; `system` (a note in the thread). */
  from: 'visitor' | 'agent' | 'system';
  text: string;
  parts: WirePart[];
  media?: WireMedia[];
  /** ISO 8601. */
  at: string;
  /**
   * `sending` (not acknowledged yet; resent on reconnect), `sent`, `read` (the agent read it),
   * `streaming` (an agent reply still being generated), `received`, `failed` (the server refused it).
   */
  status: 'sending' | 'sent' | 'read' | 'streaming' | 'received' | 'failed';
  /** The channel it went through; a thread spans channels. */
  channel?: string;
  /** Bumped on every change, so a renderer can skip unchanged messages. */
  version: number;
}

/** A chat client's message list, in seq order, and how server frames change it. */
export interface Conversation {
  readonly messages: ChatMessage[];
  /** The highest thread seq received. */
  readonly lastSeq: number;
  /** Sorts the list and announces it (`onChange`). */
  changed(): void;
  /** Adds a message the visitor wrote, and announces the list. */
  add(message: ChatMessage): void;
  byClientMsgId(clientMsgId: string): ChatMessage | undefined;
  /** A `welcome` starts a replay: what it carries is kept when it ends with a reset. */
  startReplay(): void;
  /** The replay ended: drops what a reset replaced. Announcing it is the caller's, after `open`. */
  sync(frame: SyncedFrame): void;
  message(frame: MessageFrame): void;
  ack(frame: AckFrame): void;
  stream(frame: StreamFrame): void;
  streamEnd(frame: StreamEndFrame): void;
  receipt(frame: ReceiptFrame): void;
  /** The server refused a frame: resending the unacknowledged messages would loop, so they fail. */
  failSending(): void;
}

function update(message: ChatMessage, patch: Partial<ChatMessage>): void {
  Object.assign(message, patch);
  message.version += 1;
}

/** Creates an empty conversation. */
export function createConversation(input: {
  onChange(messages: readonly ChatMessage[]): void;
  /** A live (never a replayed) message carried a `::: navigate` part. */
  onNavigate(detail: { path: string; query: Record<string, string> }): void;
  /** For the key of a message that has no id at all. */
  random: () => number;
}): Conversation {
  const { onChange, onNavigate, random } = input;
  let messages: ChatMessage[] = [];
  let lastSeq = 0;
  let replayKeys = new Set<string>();
  const streamIndex = new Map<string, number>();

  function changed(): void {
    messages.sort(
      (a, b) => (a.seq ?? Number.POSITIVE_INFINITY) - (b.seq ?? Number.POSITIVE_INFINITY),
    );
    onChange(messages);
  }

  function byClientMsgId(clientMsgId: string): ChatMessage | undefined {
    return messages.find((m) => m.clientMsgId === clientMsgId);
  }

  function find(frame: { seq?: number; deliveryId?: string; clientMsgId?: string }) {
    return messages.find(
      (message) =>
        (frame.seq !== undefined && message.seq === frame.seq) ||
        (frame.deliveryId !== undefined && message.deliveryId === frame.deliveryId) ||
        (frame.clientMsgId !== undefined &&
          message.from === 'visitor' &&
          message.clientMsgId === frame.clientMsgId),
    );
  }

  function navigateFor(parts: readonly WirePart[]): void {
    for (const part of parts) {
      if (part.type === 'navigate') onNavigate({ path: part.path, query: part.query });
    }
  }

  return {
    get messages() {
      return messages;
    },
    get lastSeq() {
      return lastSeq;
    },
    changed,
    add(message) {
      messages.push(message);
      changed();
    },
    byClientMsgId,
    startReplay() {
      replayKeys = new Set();
    },
    sync(frame) {
      if (frame.reset) {
        messages = messages.filter(
          (message) =>
            replayKeys.has(message.key) ||
            message.status === 'sending' ||
            message.status === 'streaming',
        );
        lastSeq = frame.lastSeq;
      } else {
        lastSeq = Math.max(lastSeq, frame.lastSeq);
      }
    },
    message(frame) {
      if (frame.seq !== undefined) lastSeq = Math.max(lastSeq, frame.seq);
      const from =
        frame.direction === 'inbound'
          ? 'visitor'
          : frame.direction === 'outbound'
            ? 'agent'
            : 'system';
      const existing = find(frame);
      const fields = {
        ...(frame.seq === undefined ? {} : { seq: frame.seq }),
        ...(frame.deliveryId === undefined ? {} : { deliveryId: frame.deliveryId }),
        ...(frame.clientMsgId === undefined ? {} : { clientMsgId: frame.clientMsgId }),
        ...(frame.channel === undefined ? {} : { channel: frame.channel }),
        ...(frame.media === undefined ? {} : { media: frame.media }),
      };
      if (existing) {
        const status =
          existing.status === 'read' ? 'read' : from === 'visitor' ? 'sent' : 'received';
        update(existing, { ...fields, text: frame.text, parts: frame.parts, at: frame.at, status });
        if (frame.replay) replayKeys.add(existing.key);
      } else {
        const key =
          frame.clientMsgId ??
          frame.deliveryId ??
          `seq:${frame.seq ?? `${Date.now()}-${random()}`}`;
        messages.push({
          key,
          ...fields,
          from,
          text: frame.text,
          parts: frame.parts,
          at: frame.at,
          status: from === 'visitor' ? 'sent' : 'received',
          version: 0,
        });
        if (frame.replay) replayKeys.add(key);
        // Only this web chat's own live messages steer the page (not another channel's, shown here).
        if (!frame.replay && (frame.channel === undefined || frame.channel === 'webchat'))
          navigateFor(frame.parts);
      }
      changed();
    },
    ack(frame) {
      const message = byClientMsgId(frame.clientMsgId);
      if (frame.seq !== undefined) lastSeq = Math.max(lastSeq, frame.seq);
      if (message) {
        update(message, {
          ...(frame.seq === undefined ? {} : { seq: frame.seq }),
          status: message.status === 'read' ? 'read' : 'sent',
        });
        changed();
      }
    },
    stream(frame) {
      let message = messages.find((m) => m.deliveryId === frame.deliveryId);
      const expected = streamIndex.get(frame.deliveryId) ?? 0;
      if (frame.index < expected) return;
      streamIndex.set(frame.deliveryId, frame.index + 1);
      if (!message) {
        message = {
          key: frame.deliveryId,
          deliveryId: frame.deliveryId,
          from: 'agent',
          text: '',
          parts: [],
          at: new Date().toISOString(),
          status: 'streaming',
          version: 0,
        };
        messages.push(message);
      }
      if (message.status !== 'streaming') return;
      update(message, { text: message.text + frame.delta });
      changed();
    },
    streamEnd(frame) {
      streamIndex.delete(frame.deliveryId);
      const message = messages.find((m) => m.deliveryId === frame.deliveryId);
      if (message) {
        update(message, { text: frame.text, parts: frame.parts, at: frame.at, status: 'received' });
      } else {
        messages.push({
          key: frame.deliveryId,
          deliveryId: frame.deliveryId,
          from: 'agent',
          text: frame.text,
          parts: frame.parts,
          at: frame.at,
          status: 'received',
          version: 0,
        });
      }
      navigateFor(frame.parts);
      changed();
    },
    receipt(frame) {
      const target = byClientMsgId(frame.clientMsgId);
      if (target?.seq === undefined) return;
      // "Read" covers everything the visitor sent up to that message.
      for (const message of messages) {
        if (message.from === 'visitor' && message.seq !== undefined && message.seq <= target.seq) {
          if (message.status !== 'read') update(message, { status: 'read' });
        }
      }
      changed();
    },
    failSending() {
      for (const message of messages) {
        if (message.status === 'sending') update(message, { status: 'failed' });
      }
      changed();
    },
  };
}
