import type { MessagePart } from '../components/parts';
import type { JsonObject } from '../message/json';
import type { Media } from '../message/media';

/** The one conversation between a user and an agent, across every channel. */
export interface Thread {
  id: string;
  userId: string;
  agentId: string;
  createdAt: Date;
}

/** Who an entry came from. */
export type EntryDirection = 'inbound' | 'outbound' | 'system';

/** What a caller appends; the store assigns `seq`. */
export interface NewThreadEntry {
  direction: EntryDirection;
  /** When it happened (the provider's timestamp for inbound, the send time for outbound). */
  at: Date;
  text: string;
  channel?: string;
  adapterId?: string;
  parts?: MessagePart[];
  media?: Media[];
  /** The delivery that carries an outbound entry. */
  deliveryId?: string;
  /** The provider's id for the message. */
  providerMessageId?: string;
  metadata?: JsonObject;
}

/** One message (or system note) in a thread. */
export interface ThreadEntry extends NewThreadEntry {
  threadId: string;
  /** 1, 2, 3… per thread, strictly increasing, no gaps, even under concurrent appends. */
  seq: number;
}

/**
 * Which entries to read, always returned oldest first.
 * - `{ latest: 50 }`: the last 50;
 * - `{ after: 120, limit: 100 }`: entries with seq > 120 (a reconnecting client catching up);
 * - `{ before: 120, limit: 50 }`: the 50 entries just before seq 120 (scrolling back).
 */
export type ThreadReadOptions =
  | { latest: number }
  | { after: number; limit?: number }
  | { before: number; limit?: number };

/** Default and largest page of a thread read. */
export const THREAD_READ_DEFAULT_LIMIT = 50;
export const THREAD_READ_MAX_LIMIT = 1000;

/**
 * Threads and their entries. An unknown thread is a `NotFoundError` with code `thread_not_found`,
 * `kind` `'thread'` and the given `id`.
 */
export interface ThreadLog {
  /**
   * The thread of a user with an agent, created on first use (exactly once under concurrency).
   * `NotFoundError` if the user does not exist.
   */
  ensure(input: { userId: string; agentId: string }): Promise<Thread>;
  get(threadId: string): Promise<Thread | null>;
  /** The user's threads, oldest `createdAt` first, those moved in by a merge included. */
  listByUser(userId: string): Promise<Thread[]>;
  /** Appends an entry and returns it with its sequence number. `NotFoundError` for an unknown thread. */
  append(threadId: string, entry: NewThreadEntry): Promise<ThreadEntry>;
  /**
   * Reads entries, oldest first. No options means `{ latest: THREAD_READ_DEFAULT_LIMIT }`; a limit
   * above `THREAD_READ_MAX_LIMIT` is capped, one that is not a positive integer is a
   * `ValidationError`. `NotFoundError` for an unknown thread.
   */
  read(threadId: string, options?: ThreadReadOptions): Promise<ThreadEntry[]>;
}
