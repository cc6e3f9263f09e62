import { randomUUID } from 'node:crypto';
import { normalizeAddress, type Sender } from '@threadline/core';
import type { WebSocket } from 'ws';
import type { VisitorIdentity } from '../auth/token';
import { CLOSE_CODES } from '../protocol/close-codes';
import type { ServerFrame } from '../protocol/frames';
import type { TokenBucket } from './rate-limit';
import type { Route } from './registry';

/**
 * A client that stops reading lets frames pile up in our memory. Past 1 MiB queued (a few
 * thousand messages) it is closed with 1013 and resumes from its last seq when it reconnects.
 */
export const MAX_BUFFERED_BYTES = 1024 * 1024;

/** Live frame ids remembered per socket to drop repeats (a retried delivery, our own publication). */
const SEEN_LIMIT = 512;

/** An address in the core's stored form; unchanged if it has none (the core refuses it then). */
export function webChatAddress(address: string): string {
  return normalizeAddress('channel', address) ?? address;
}

/** One open socket of one visitor, with what the server tracks about it. */
export class Connection {
  readonly id = randomUUID();
  readonly ws: WebSocket;
  readonly identity: VisitorIdentity;
  readonly bucket: TokenBucket;
  /** The Threadline user: from the token, or from the core once the visitor connected anonymously. */
  userId: string | undefined;
  /** The thread being shown, once known. */
  threadId: string | undefined;
  /** Answered the last protocol ping. */
  isAlive = true;
  /** The highest seq the visitor reported read. */
  readSeq = 0;
  /** When the last typing event was passed on (typing is throttled per connection). */
  lastTypingAt = Number.NEGATIVE_INFINITY;
  /** Client frames are handled one at a time, in order, after the connection is set up. */
  queue: Promise<void> = Promise.resolve();
  readonly #seen = new Set<string>();
  /** Live frames wait while this is above 0: during the replay (starts held) and until an ack. */
  #holds = 1;
  #held: Array<{ frame: ServerFrame }> = [];

  constructor(input: { ws: WebSocket; identity: VisitorIdentity; bucket: TokenBucket }) {
    this.ws = input.ws;
    this.identity = input.identity;
    this.bucket = input.bucket;
    this.userId = input.identity.userId;
    this.address = webChatAddress(input.identity.address);
  }

  /**
   * The visitor's address in the core's one stored form (`normalizeAddress`): the registry, the
   * events and the frames use this, never the token's raw spelling, so `user:bob ` and `user:bob`
   * can never be two addresses here while the core takes them for one.
   */
  readonly address: string;

  /** The visitor as inbound events name them. */
  get sender(): Sender {
    const { displayName } = this.identity;
    return { address: this.address, ...(displayName === undefined ? {} : { displayName }) };
  }

  /** The user the token authenticated, for events: never for anonymous visitors. */
  get authenticated(): { userId?: string } {
    const { userId } = this.identity;
    return userId === undefined ? {} : { userId };
  }

  /** Where frames for this visitor go: every socket of their user and of their address. */
  get route(): Route {
    return {
      address: this.address,
      ...(this.userId === undefined ? {} : { userId: this.userId }),
    };
  }

  get open(): boolean {
    return this.ws.readyState === this.ws.OPEN;
  }

  /** Writes a frame now. `false` if the socket is gone or was closed for reading too slowly. */
  send(frame: ServerFrame): boolean {
    if (!this.open) return false;
    if (this.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.close(CLOSE_CODES.TRY_AGAIN_LATER, 'reading too slowly');
      return false;
    }
    this.ws.send(JSON.stringify(frame));
    return true;
  }

  /**
   * Delivers a live frame once: a frame whose `key` this socket already got is dropped. While the
   * connection is replaying history, live frames wait and follow the replay.
   */
  deliverLive(frame: ServerFrame, key?: string): boolean {
    if (key !== undefined) {
      if (this.#seen.has(key)) return false;
      this.#seen.add(key);
      if (this.#seen.size > SEEN_LIMIT) {
        const oldest = this.#seen.values().next().value;
        if (oldest !== undefined) this.#seen.delete(oldest);
      }
    }
    if (!this.open) return false;
    if (this.#holds > 0) {
      this.#held.push({ frame });
      return true;
    }
    return this.send(frame);
  }

  /**
   * Holds live frames back (they queue) until {@link release}: while a client message is being
   * recorded, so its `ack` reaches the socket before the agent's reply to it.
   */
  hold(): void {
    this.#holds += 1;
  }

  /** Ends one hold; the last one sends the queued frames, minus messages whose seq is in `skip`. */
  release(skip: ReadonlySet<number> = new Set()): void {
    this.#holds = Math.max(0, this.#holds - 1);
    if (this.#holds > 0) return;
    const held = this.#held;
    this.#held = [];
    for (const { frame } of held) {
      if (frame.type === 'message' && frame.seq !== undefined && skip.has(frame.seq)) continue;
      this.send(frame);
    }
  }

  /** Ends the replay (the connection starts held): queued live frames follow, minus replayed ones. */
  finishReplay(replayed: ReadonlySet<number>): void {
    this.release(replayed);
  }

  close(code: number, reason: string): void {
    if (this.ws.readyState === this.ws.CLOSED || this.ws.readyState === this.ws.CLOSING) return;
    this.ws.close(code, reason);
  }
}
