/**
 * The adapter's own guard on Meta's per-number throughput (80 messages/s by default, 130429 past
 * it). The core's pacer already spaces sends evenly at `capabilities.rate.perSecond`, but it
 * spaces *reservations*: a send whose timer fires late followed by one that fires on time puts
 * two starts closer than the interval, and a run of those puts more than the rate into one
 * second. This window counts the moments requests actually start, and lets a request start only
 * while fewer than `perSecond` started in the last {@link THROUGHPUT_WINDOW_MS}, whoever calls
 * (the core, a host calling `send` directly, several dispatchers in one process).
 *
 * Time is the monotonic clock: it controls throughput, and a test's frozen business clock must
 * not stall sends.
 */

/**
 * The window the limit is counted over, a little longer than Meta's one second: the extra 2%
 * absorbs the jitter between our request start and the moment Meta counts it, at a cost of 2% of
 * peak throughput, and only while the window is full.
 */
export const THROUGHPUT_WINDOW_MS = 1_020;

/** How the window waits; injectable so tests run on a fake clock. */
export type Sleep = (ms: number) => Promise<void>;

const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Lets at most `perSecond` requests start in any window of {@link THROUGHPUT_WINDOW_MS}.
 *
 * @example
 * ```ts
 * const window = new ThroughputWindow(80);
 * await window.take(); // counted as started now
 * await fetch(url, init);
 * ```
 */
export class ThroughputWindow {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #now: () => number;
  readonly #sleep: Sleep;
  /** When the last `limit` requests started, oldest first. */
  readonly #starts: number[] = [];
  /** Callers pass one at a time, in call order. */
  #queue: Promise<void> = Promise.resolve();

  constructor(perSecond: number, now: () => number = () => performance.now(), sleep = realSleep) {
    // Below 1/s the window stretches (0.5/s: one request per ~2 s); above it a fractional rate
    // rounds down (2.5/s → 2 per window), never up past what Meta allows.
    this.#limit = Math.max(1, Math.floor(perSecond));
    this.#windowMs = perSecond < 1 ? THROUGHPUT_WINDOW_MS / perSecond : THROUGHPUT_WINDOW_MS;
    this.#now = now;
    this.#sleep = sleep;
  }

  /**
   * Resolves when the caller may start its request, having counted it as started. Callers are
   * served first come, first served.
   */
  take(): Promise<void> {
    const turn = this.#queue.then(() => this.#acquire());
    this.#queue = turn.catch(() => undefined);
    return turn;
  }

  async #acquire(): Promise<void> {
    for (;;) {
      const now = this.#now();
      const oldest = this.#starts.length >= this.#limit ? this.#starts[0] : undefined;
      const wait = oldest === undefined ? 0 : oldest + this.#windowMs - now;
      if (wait <= 0) {
        // The time it actually starts, not the time it was promised: a late timer must not let
        // the next request start closer to this one than the window allows.
        this.#starts.push(now);
        if (this.#starts.length > this.#limit) this.#starts.shift();
        return;
      }
      await this.#sleep(Math.ceil(wait));
    }
  }
}
