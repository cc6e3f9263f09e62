import { DeadTurnError } from '../../errors/turns';
import type { RuntimeContext } from '../context';
import type { TurnRunner } from './durable-turns';

/** Turns claimed per poll: a backlog after an outage is worked through over a few polls. */
const TURN_CLAIM_LIMIT = 20;

/**
 * Takes over durable turns (`store.turns`) whose instance died: every
 * `inbound.turnPollIntervalMs` it claims turns whose lease has run out and runs them through the
 * {@link TurnRunner} with the next attempt number. A turn claimed for the
 * `inbound.maxTurnAttempts + 1`-th time is given up: completed, and reported as a
 * {@link DeadTurnError}.
 */
export class TurnPoller {
  readonly #ctx: RuntimeContext;
  readonly #runner: TurnRunner;
  #timer: ReturnType<typeof setInterval> | undefined;
  #running: Promise<void> = Promise.resolve();

  constructor(ctx: RuntimeContext, runner: TurnRunner) {
    this.#ctx = ctx;
    this.#runner = runner;
  }

  /** Polls until {@link stop}; a no-op without `store.turns`. The timer does not keep the process alive. */
  start(): void {
    if (this.#timer || !this.#ctx.store.turns) return;
    this.#timer = setInterval(() => {
      this.#running = this.#running.then(async () => {
        await this.poll();
      });
    }, this.#ctx.options.inbound.turnPollIntervalMs);
    this.#timer.unref?.();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  /** Claims the turns that are due and starts them; resolves with how many were claimed. Never rejects. */
  async poll(): Promise<number> {
    const { store, instanceId: owner, options, background } = this.#ctx;
    const turns = store.turns;
    if (!turns) return 0;
    try {
      const claimed = await turns.claimDue({
        owner,
        limit: TURN_CLAIM_LIMIT,
        leaseMs: options.inbound.turnLeaseMs,
      });
      for (const turn of claimed) {
        if (turn.attempts > options.inbound.maxTurnAttempts) {
          this.#ctx.reportError(
            new DeadTurnError({
              threadId: turn.threadId,
              seq: turn.seq,
              userId: turn.userId,
              attempts: turn.attempts - 1,
            }),
            { phase: 'agent', threadId: turn.threadId, userId: turn.userId },
          );
          await turns.complete(turn.id, owner);
          continue;
        }
        background.track(this.#runner.resume(turn));
      }
      return claimed.length;
    } catch (error) {
      this.#ctx.reportError(error, { phase: 'agent' });
      return 0;
    }
  }
}
