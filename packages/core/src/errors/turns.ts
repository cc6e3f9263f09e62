import { ERROR_BRAND } from './brand';
import { ThreadlineError } from './threadline-error';

/** Which turn ran out of attempts. */
export interface DeadTurnContext {
  threadId: string;
  /** The inbound entry the turn answers. */
  seq: number;
  userId: string;
  /** Attempts made (`inbound.maxTurnAttempts`). */
  attempts: number;
  /** The last failure, when this instance saw it. */
  cause?: unknown;
}

/**
 * A durable agent turn was started `inbound.maxTurnAttempts` times without finishing (the
 * instances running it died, or the store failed before the agent was called), so it is not
 * tried again. The message stays in the thread; the host is told through `onError`.
 *
 * @example
 * ```ts
 * createThreadline({ …, onError(error) {
 *   if (error instanceof DeadTurnError) alert(`no answer for thread ${error.threadId} #${error.seq}`);
 * } });
 * ```
 */
export class DeadTurnError extends ThreadlineError {
  static override readonly [ERROR_BRAND]: string = 'DeadTurnError';
  override name = 'DeadTurnError';
  readonly threadId: string;
  readonly seq: number;
  readonly userId: string;
  readonly attempts: number;

  constructor(context: DeadTurnContext) {
    super(
      `The agent turn for entry ${context.seq} of thread ${context.threadId} did not finish in ${context.attempts} attempts; it is not tried again`,
      // No category is about the agent; `unknown` keeps the set of categories as it is.
      { code: 'turn_attempts_exhausted', category: 'unknown', cause: context.cause },
    );
    this.threadId = context.threadId;
    this.seq = context.seq;
    this.userId = context.userId;
    this.attempts = context.attempts;
  }
}
