import { StoreError } from '../errors/policy';
import type { BatchOutcome } from '../store/delivery-batch';

/**
 * The most calls one batch carries by default (`outbox.groupCommitMax`, `inbound.groupCommitMax`).
 * A hundred deliveries or inbound messages make one statement of a few tens of kilobytes on
 * PostgreSQL: big enough that a burst of sends or webhooks shares a round trip, small enough that
 * one batch never holds a connection (or the thread rows it locks) for long.
 */
export const GROUP_COMMIT_DEFAULT_MAX = 100;

/** How a {@link GroupCommit} writes. */
export interface GroupCommitOptions<I, O> {
  /** The most items per batch; a batch that fills up is written at once. */
  maxBatch: number;
  /**
   * Writes a batch: one outcome per item, in item order. Rejecting fails every item of the batch
   * with that error (the batch wrote nothing).
   */
  writeMany(items: I[]): Promise<BatchOutcome<O>[]>;
}

/** Defers to the next turn of the event loop, after the I/O callbacks of this one. */
const nextTurn: (run: () => void) => void =
  typeof setImmediate === 'function' ? (run) => setImmediate(run) : (run) => setTimeout(run, 0);

interface Waiting<I, O> {
  item: I;
  resolve(value: O): void;
  reject(error: unknown): void;
}

/**
 * Group commit: calls made within one turn of the event loop are written together (the outbox's
 * creates and completes, the inbound pipeline's records). The first call of a turn schedules a
 * write for the next turn (`setImmediate`: after the I/O callbacks that are ready now, so a burst
 * of sends woken by one batch of responses, or of webhooks read in one poll, shares a batch); a batch that
 * reaches `maxBatch` is written at once. Each caller gets its own item's outcome. A lone call
 * waits one turn, well under a millisecond, which is the whole cost.
 *
 * A burst bigger than one batch (a host sending to 10,000 users at once) is written one batch per
 * turn, oldest first: the first batch's callers then run on to the provider within that turn
 * while the rest wait, so their messages leave while later batches are still being written,
 * instead of every call moving through each step in lockstep and the first message leaving only
 * when the last one is written (bench B5). Batches keep the order of the calls.
 *
 * @example
 * ```ts
 * const creates = new GroupCommit({ maxBatch: 100, writeMany: (inputs) => store.deliveries.createMany(inputs) });
 * const [a, b] = await Promise.all([creates.submit(first), creates.submit(second)]); // one batch
 * ```
 */
export class GroupCommit<I, O> {
  readonly #options: GroupCommitOptions<I, O>;
  #waiting: Waiting<I, O>[] = [];
  #scheduled = false;
  /** A batch was written in this turn: a further full one waits for the next turn. */
  #wroteThisTurn = false;

  constructor(options: GroupCommitOptions<I, O>) {
    this.#options = options;
  }

  /** Queues `item` for the current batch and resolves with its outcome. */
  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.#waiting.push({ item, resolve, reject });
      if (this.#waiting.length >= this.#options.maxBatch && !this.#wroteThisTurn) this.#write();
      this.#schedule();
    });
  }

  /** One write per turn while calls wait; the turn also ends {@link #wroteThisTurn}. */
  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    nextTurn(() => {
      this.#scheduled = false;
      this.#wroteThisTurn = false;
      this.#write();
      if (this.#waiting.length > 0) this.#schedule();
    });
  }

  #write(): void {
    if (this.#waiting.length === 0) return;
    const batch = this.#waiting.splice(0, this.#options.maxBatch);
    this.#wroteThisTurn = true;
    // The turn that resets the flag.
    this.#schedule();
    let written: Promise<BatchOutcome<O>[]>;
    try {
      written = this.#options.writeMany(batch.map((waiting) => waiting.item));
    } catch (error) {
      written = Promise.reject(error);
    }
    written.then(
      (outcomes) => {
        batch.forEach((waiting, index) => {
          const outcome = outcomes[index];
          if (outcome === undefined) {
            waiting.reject(
              new StoreError(
                `the store's batch write answered ${outcomes.length} outcomes for ${batch.length} items`,
                { code: 'store_batch_mismatch' },
              ),
            );
          } else if (outcome.ok) {
            waiting.resolve(outcome.value);
          } else {
            waiting.reject(outcome.error);
          }
        });
      },
      // Nothing of the batch was written: every caller learns it, with the store's own error.
      (error: unknown) => {
        for (const waiting of batch) waiting.reject(error);
      },
    );
  }
}
