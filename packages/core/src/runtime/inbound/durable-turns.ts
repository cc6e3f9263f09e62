import type { ChannelAdapter } from '../../adapter/contract';
import { NotFoundError } from '../../errors/policy';
import type { InboundMessage } from '../../message/inbound';
import type { PendingTurn } from '../../store/turns';
import type { RuntimeContext } from '../context';
import { isRetryableStoreError, retryStoreBlips } from '../store-retry';
import type { WakeAgent, WakeInput } from './pipeline';
import { messageFromEntry } from './stored-message';
import type { TurnQueue } from './turns';

/** A recorded message's turn, before it has an attempt number. */
export interface NewTurn {
  adapter: ChannelAdapter;
  message: InboundMessage;
  userId: string;
  address: string;
  threadId: string;
  seq: number;
}

/**
 * A new turn is recorded leased for at most this long, and renewed to `inbound.turnLeaseMs` once
 * this instance runs it. Why short: when a store write commits but its answer is lost (the
 * connection dropped after the commit), the webhook fails, the provider's retry is a duplicate,
 * and the recorded turn has no runner here; it is taken over by the poller only once its lease
 * runs out, so seconds, not a minute. A stall longer than this may let another instance run the
 * turn as well; its replies are keyed per turn (`AgentTurn.reply`), so none is sent twice.
 */
export const FIRST_TURN_LEASE_MS = 10_000;

/** The lease a turn is recorded with: `turnLeaseMs`, at most {@link FIRST_TURN_LEASE_MS}. */
export function firstTurnLeaseMs(turnLeaseMs: number): number {
  return Math.min(turnLeaseMs, FIRST_TURN_LEASE_MS);
}

/** The shortest interval between renewals of a turn's lease. */
const MIN_RENEW_INTERVAL_MS = 1_000;

/**
 * Runs agent turns through the {@link TurnQueue}, durably when the store has `turns`: the turn is
 * enqueued (leased to this instance) before the webhook is answered, its lease is renewed while it
 * waits and runs, and it is completed once the agent has been called (thrown or not: calling it
 * again could answer twice). A turn that never reached the agent (this instance died, the store
 * failed) stays pending, and `TurnPoller` on a live instance takes it over when the lease runs out.
 * Without `store.turns` turns live only in this process, as before.
 */
export class TurnRunner {
  readonly #ctx: RuntimeContext;
  readonly #queue: TurnQueue;
  readonly #wake: WakeAgent;

  constructor(ctx: RuntimeContext, queue: TurnQueue, wake: WakeAgent) {
    this.#ctx = ctx;
    this.#queue = queue;
    this.#wake = wake;
  }

  /**
   * Records the turn (when the store can, unless `inbound.record` already did) and starts it. Resolves once it is recorded, with
   * `done`, which settles when the turn has run; neither rejects (failures go to `onError`).
   */
  async start(turn: NewTurn, stored?: PendingTurn | null): Promise<{ done: Promise<void> }> {
    const { store, instanceId: owner, options } = this.#ctx;
    // `stored`: `inbound.record` enqueued it with the entry (see `InboundRecordInput.turn`).
    let pending: PendingTurn | null = stored ?? null;
    const turns = store.turns;
    if (stored === undefined && turns) {
      const input = {
        threadId: turn.threadId,
        seq: turn.seq,
        userId: turn.userId,
        adapterId: turn.adapter.id,
        channel: turn.adapter.channel,
        address: turn.address,
        owner,
        leaseMs: firstTurnLeaseMs(options.inbound.turnLeaseMs),
      };
      try {
        // Enqueueing twice is a no-op (one pending turn per message), so a blip is retried.
        pending = await retryStoreBlips(
          () => turns.enqueue(input),
          (error) => this.#report(error, turn),
        );
      } catch (error) {
        // The message is recorded: it is answered here all the same, only not durably.
        this.#report(error, turn);
      }
    }
    return { done: this.#run(turn, () => ({ ...turn, attempt: 1 }), pending) };
  }

  /**
   * Runs a turn `TurnPoller` claimed from a dead instance. Never rejects. The turn takes its place
   * in the thread's queue at once and reads its entry when its time comes: turns claimed together
   * are resumed in arrival order, and their reads (on a pool of connections) finish in any order.
   */
  async resume(pending: PendingTurn): Promise<void> {
    // A failed read throws inside the turn: reported, and left pending to be tried again after
    // the lease, until `maxTurnAttempts`.
    await this.#run(pending, () => this.#load(pending), pending);
  }

  async #load(pending: PendingTurn): Promise<WakeInput> {
    const adapter = this.#ctx.adapters.get(pending.adapterId);
    if (!adapter) throw new NotFoundError('adapter', pending.adapterId);
    const [entry] = await this.#ctx.store.threads.read(pending.threadId, {
      after: pending.seq - 1,
      limit: 1,
    });
    if (entry === undefined || entry.seq !== pending.seq) {
      throw new NotFoundError('entry', `${pending.threadId}#${pending.seq}`);
    }
    return {
      adapter,
      message: messageFromEntry(entry, pending.address),
      userId: pending.userId,
      address: pending.address,
      threadId: pending.threadId,
      seq: pending.seq,
      attempt: pending.attempts,
    };
  }

  /** Queues the turn on its thread now; `load` builds what the agent gets once it is its turn. */
  async #run(
    turn: { threadId: string; userId: string },
    load: () => WakeInput | Promise<WakeInput>,
    pending: PendingTurn | null,
  ): Promise<void> {
    const { store, instanceId: owner, options } = this.#ctx;
    const turns = store.turns;
    const leaseMs = options.inbound.turnLeaseMs;
    let lost = false;
    let renew: ReturnType<typeof setTimeout> | undefined;
    if (turns && pending) {
      // Renewed from now, not from when the agent starts: the turn may wait behind earlier ones.
      // The first renewal comes within the short first lease (see `firstTurnLeaseMs`).
      const schedule = (afterMs: number) => {
        renew = setTimeout(() => {
          turns.renew(pending.id, { owner, leaseMs }).then(
            (held) => {
              if (!held) lost = true;
            },
            (error: unknown) => this.#report(error, turn),
          );
          schedule(Math.max(MIN_RENEW_INTERVAL_MS, Math.floor(leaseMs / 3)));
        }, afterMs);
        renew.unref?.();
      };
      schedule(Math.max(MIN_RENEW_INTERVAL_MS, Math.floor(firstTurnLeaseMs(leaseMs) / 3)));
    }
    let started = false;
    try {
      await this.#queue.enqueue(
        turn.threadId,
        async () => {
          // Another instance took the turn over while this one was stalled: it answers.
          if (lost) return;
          const input = await load();
          if (lost) return;
          await this.#wake({
            ...input,
            started: () => {
              started = true;
            },
          });
        },
        {
          userId: turn.userId,
          // A store blip before the agent was called (the turn lease, the history read) is
          // retried here at once; once the agent ran, running it again could answer twice.
          retry: (error) => !started && !lost && isRetryableStoreError(error),
        },
      );
    } finally {
      clearTimeout(renew);
    }
    if (turns && pending && started) {
      await turns.complete(pending.id, owner).catch((error: unknown) => this.#report(error, turn));
    }
  }

  #report(error: unknown, turn: { threadId: string; userId: string }): void {
    this.#ctx.reportError(error, { phase: 'agent', threadId: turn.threadId, userId: turn.userId });
  }
}
