import type { InboundMessage } from '../../message/inbound';
import type { ThreadEntry, ThreadReadOptions } from '../../store/threads';
import type { User } from '../../store/users';
import type { ReplyOptions, SendOutput } from '../outbound/types';

/** The thread as an agent turn sees it. */
export interface TurnThread {
  id: string;
  /** The latest entries (the inbound message included, last), oldest first. */
  entries: ThreadEntry[];
  /** Reads more of the thread (scroll back with `{ before: entries[0].seq }`). */
  read(options?: ThreadReadOptions): Promise<ThreadEntry[]>;
}

/** The inbound message that woke the agent, with where it sits in the thread. */
export interface TurnMessage extends InboundMessage {
  seq: number;
  channel: string;
  adapterId: string;
}

/**
 * What `onMessage` receives: one turn of the conversation. Turns of one thread run one at a time,
 * in arrival order.
 *
 * @example
 * ```ts
 * createThreadline({
 *   store, adapters,
 *   async onMessage({ user, thread, message, reply }) {
 *     await reply(`You said "${message.text}". We have talked ${thread.entries.length} times.`);
 *   },
 * });
 * ```
 */
export interface AgentTurn {
  user: User;
  thread: TurnThread;
  message: TurnMessage;
  /**
   * 1 for the first run of this turn; 2 or more when an instance died during an earlier attempt
   * and another took the turn over (`store.turns`): the agent may already have answered in part,
   * so it can check `thread.entries` before replying again. Replies that attempt already made are
   * not sent twice either way: see {@link AgentTurn.reply}.
   */
  attempt: number;
  /**
   * Answers on the channel and sender the message came from. Streams where the channel can.
   *
   * Each reply carries an idempotency key unless `options.idempotencyKey` gives one:
   * `turn:<threadId>:<seq>:reply:<n>` for the turn's n-th reply. A later attempt of the same turn
   * (a takeover) gets the earlier attempt's n-th delivery back instead of sending it again, and a
   * reply whose store write hit a connection blip is retried (up to five tries over ≈ 3 s) without
   * risk of a second copy. A streamed reply is not retried: its text is read once.
   */
  reply(text: string | AsyncIterable<string>, options?: ReplyOptions): Promise<SendOutput>;
}
