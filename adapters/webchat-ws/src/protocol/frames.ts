/**
 * The wire format of the web chat protocol (docs/protocol.md), as types only, so the browser
 * client can share them without pulling in the server's dependencies. Every frame is one JSON
 * text message with a `type`.
 */

/** Version of the protocol; clients send it as the `v` query parameter. */
export const PROTOCOL_VERSION = 1;

/** A card of `list-item` and `horizontal-list-item` parts. */
export interface WireCard {
  title: string;
  subtitle?: string;
  summary?: string;
  imageUrl?: string;
}

/**
 * One part of a message, exactly as `@threadline/core` parses `:::` blocks (the server checks at
 * compile time that the two stay the same).
 */
export type WirePart =
  | { type: 'text'; text: string }
  | { type: 'list-item'; items: WireCard[] }
  | { type: 'horizontal-list-item'; items: WireCard[] }
  | { type: 'actions'; actions: Array<{ label: string }> }
  | { type: 'links'; links: Array<{ url: string; title?: string }> }
  | { type: 'images'; images: Array<{ url: string; alt?: string }> }
  | { type: 'documents'; documents: Array<{ url: string; name?: string }> }
  | { type: 'payment'; text: string; url: string }
  | {
      type: 'flow';
      flowId: string;
      cta: string;
      body?: string;
      header?: string;
      footer?: string;
      screen?: string;
      extra?: Record<string, string>;
    }
  | { type: 'navigate'; path: string; query: Record<string, string> };

/** A media file on an outbound message (the browser loads it from `url`). */
export interface WireMedia {
  kind: 'image' | 'video' | 'audio' | 'document' | 'sticker';
  url?: string;
  mimeType?: string;
  filename?: string;
  caption?: string;
}

/** Who wrote a message, seen from Threadline: `inbound` is the visitor, `outbound` the agent. */
export type WireDirection = 'inbound' | 'outbound' | 'system';

// ---------------------------------------------------------------------------------------------
// Client → server

/** The visitor wrote something (or pressed an action button, which sends its label). */
export interface ClientMessageFrame {
  type: 'message';
  /** Chosen by the client, unique per visitor; a resend with the same id is recorded once. */
  clientMsgId: string;
  text: string;
  /** An optional machine-readable value (a custom UI's button id). */
  payload?: string;
}

/** The visitor is typing. Send at most one every few seconds. */
export interface ClientTypingFrame {
  type: 'typing';
}

/** The visitor has seen everything up to `seq`. */
export interface ClientReadFrame {
  type: 'read';
  seq: number;
}

/** Application-level ping (browsers cannot see protocol pings); answered with `pong`. */
export interface ClientPingFrame {
  type: 'ping';
  id?: string;
}

export type ClientFrame =
  | ClientMessageFrame
  | ClientTypingFrame
  | ClientReadFrame
  | ClientPingFrame;

// ---------------------------------------------------------------------------------------------
// Server → client

/** First frame on every connection: who the visitor is and the limits to respect. */
export interface WelcomeFrame {
  type: 'welcome';
  protocol: number;
  /** The Threadline user (absent only when the server could not tell, e.g. a store-less test). */
  userId?: string;
  /** The visitor's address on the channel (`user:<id>` or `anon:<id>`). */
  visitorId: string;
  /** For an anonymous visitor: the token to reconnect with (keep it to stay the same visitor). */
  token?: string;
  /** The server pings this often; a client that hears nothing for twice as long reconnects. */
  heartbeatMs: number;
  limits: { maxPayload: number; maxTextLength: number; burst: number; perSecond: number };
}

/** One message of the thread, live or replayed. */
export interface MessageFrame {
  type: 'message';
  /** The thread's sequence number; absent for a message that is not recorded in a thread. */
  seq?: number;
  /** The delivery of an agent message (dedupe key for streamed messages, whose seq comes later). */
  deliveryId?: string;
  /** For the visitor's own messages: the id their client chose. */
  clientMsgId?: string;
  direction: WireDirection;
  /** The channel the message went through (a thread spans channels). */
  channel?: string;
  /** The text as written, `:::` blocks included. */
  text: string;
  /** The text parsed into parts, planned for web chat (long text split into several text parts). */
  parts: WirePart[];
  media?: WireMedia[];
  /** ISO 8601. */
  at: string;
  /** Part of a replay after (re)connecting, not new. Clients do not act on replayed `navigate`. */
  replay?: boolean;
}

/** A piece of an agent message being generated. */
export interface StreamFrame {
  type: 'stream';
  deliveryId: string;
  /** 0, 1, 2… per message, so a client can spot a gap or a repeat. */
  index: number;
  delta: string;
}

/** A streamed message is complete: its full text and parts. Its `seq` arrives on the next replay. */
export interface StreamEndFrame {
  type: 'stream_end';
  deliveryId: string;
  text: string;
  parts: WirePart[];
  at: string;
}

/** The server recorded a client message (or had already: `duplicate`). */
export interface AckFrame {
  type: 'ack';
  clientMsgId: string;
  /** The message's place in the thread. Absent when it could not be found (a duplicate still being recorded). */
  seq?: number;
  duplicate?: boolean;
}

/** The replay after connecting is done; live messages follow. */
export interface SyncedFrame {
  type: 'synced';
  /** The highest seq replayed (or the client's `lastSeq` when nothing was missed). */
  lastSeq: number;
  /**
   * `true` when the client must drop what it shows and keep only the replay: a first connection
   * (the latest `historyLimit` entries), or a gap larger than `replayLimit`.
   */
  reset: boolean;
}

/** The agent is typing (shown for a few seconds, or until its next message). */
export interface TypingFrame {
  type: 'typing';
}

/** The agent read the visitor's message `clientMsgId` (and those before it). */
export interface ReceiptFrame {
  type: 'receipt';
  status: 'read';
  clientMsgId: string;
}

/** Answer to an application-level ping. */
export interface PongFrame {
  type: 'pong';
  id?: string;
}

/** A client message could not be recorded now; resend it later with the same `clientMsgId`. */
export interface ErrorFrame {
  type: 'error';
  code: 'not_recorded';
  message: string;
  clientMsgId?: string;
}

export type ServerFrame =
  | WelcomeFrame
  | MessageFrame
  | StreamFrame
  | StreamEndFrame
  | AckFrame
  | SyncedFrame
  | TypingFrame
  | ReceiptFrame
  | PongFrame
  | ErrorFrame;
