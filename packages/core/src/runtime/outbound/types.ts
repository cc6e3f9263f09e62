import type { Media } from '../../message/media';

export type {
  HeldOutput,
  QueuedOutput,
  ScheduledOutput,
  SendOutcome,
  SendOutput,
  SendOutputBase,
  SendWarning,
  SendWarningCode,
  SentOutput,
} from './result';

/** Options for `reply` inside an agent turn. */
export interface ReplyOptions {
  media?: Media[];
  /** Quote the inbound message (where the channel can). Defaults to no quote. */
  quote?: boolean;
  /**
   * Sends at most once per key. Defaults to `turn:<threadId>:<seq>:reply:<n>` for the turn's n-th
   * reply, so a turn run again never repeats a reply it already made.
   */
  idempotencyKey?: string;
}

/** What happens when a free-form send meets a closed session window. */
export type ClosedWindowBehaviour = 'queue' | 'fail';
