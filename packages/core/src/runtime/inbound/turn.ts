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
   * so it can check `thread.entries` before replying again.
   */
  attempt: number;
  /** Answers on the channel and sender the message came from. Streams where the channel can. */
  reply(text: string | AsyncIterable<string>, options?: ReplyOptions): Promise<SendOutput>;
}
