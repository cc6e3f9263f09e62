/**
 * The adapter's own guard on Meta's per-number throughput (80 messages/s by default, up to 1,000,
 * 130429 past it). The core's pacer already spaces sends evenly at `capabilities.rate.perSecond`,
 * but it spaces *reservations*, and what Meta counts is arrivals: a request that leaves just
 * before this process stalls (a GC pause, a busy event loop, a busy machine) reaches Meta bunched
 * with the ones that leave after it. Counting only the moments requests start cannot see that.
 *
 * So each request holds its place in the window from its start until a second after Meta could
 * last have counted it: its answer, which cannot come before Meta saw the request. A request that
 * is slow to answer is not held for longer than {@link THROUGHPUT_JITTER_MS} past the moment it
 * left this process (`sent`: its bytes handed to the network; its start when the transport cannot
 * tell), since a slow answer is usually Meta's own work, not a late arrival; that caps the cost at
 * 2% of throughput for a slow API, and on a fast one costs only its answer time. Counting from the
 * moment it left, not from its start, covers a stall between the two (a busy event loop between
 * the window and the socket write), which used to let a few requests bunch past the limit.
 *
 * Time is the monotonic clock: it controls throughput, and a test's frozen business clock must
 * not stall sends.
 */

/** The window Meta's limit is counted over. */
export const THROUGHPUT_WINDOW_MS = 1_000;

/**
 * How long after its start a request may still be arriving at Meta, at most, as far as the window
 * is concerned. Past it the request is taken to have arrived (its answer is just slow). 20 ms is
 * the 2% headroom the window has always had: a slow API loses at most 2% of peak throughput, a
 * fast one only its answer time.
 */
export const THROUGHPUT_JITTER_MS = 20;

/**
 * How the window waits: `done` resolves after `ms`, or at once when `wake` is called (an answer
 * freed a place sooner), which also clears the timer. Injectable so tests run on a fake clock.
 */
export type Sleep = (ms: number) => { done: Promise<void>; wake(): void };

const realSleep: Sleep = (ms) => {
  const waiting = { done: Promise.resolve(), wake: () => {} };
  waiting.done = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    waiting.wake = () => {
      clearTimeout(timer);
      resolve();
    };
  });
  return waiting;
};

/** A request's place in the window. */
export interface WindowPlace {
  /** The request has left this process (its bytes are with the network): jitter counts from now. */
  sent(): void;
  /** The request was answered, or failed: it counts for one more second, then frees its place. */
  release(): void;
}

interface Slot {
  start: number;
  /** When the request left this process, once the transport said so. */
  sentAt: number | undefined;
  /** When the slot stops counting: `THROUGHPUT_WINDOW_MS` after the request was surely counted. */
  expires: number;
}

/**
 * Lets at most `perSecond` requests be in flight or counted by Meta within any one-second window.
 *
 * @example
 * ```ts
 * const window = new ThroughputWindow(80);
 * const place = await window.take(); // counted from now
 * try {
 *   await callWithTimeout(url, init, { ...http, onSent: place.sent }, read);
 * } finally {
 *   place.release(); // answered: it counts for one more second, then frees its place
 * }
 * ```
 */
export class ThroughputWindow {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #now: () => number;
  readonly #sleep: Sleep;
  /** Places taken, oldest first; dropped once expired. At most `limit` plus a few at once. */
  readonly #slots: Slot[] = [];
  /** Callers pass one at a time, in call order. */
  #queue: Promise<unknown> = Promise.resolve();
  /** The caller waiting for a place, and when it planned to look again. */
  #waiting: { at: number; wake(): void } | undefined;

  constructor(perSecond: number, now: () => number = () => performance.now(), sleep = realSleep) {
    // Below 1/s the window stretches (0.5/s: one request per 2 s); above it a fractional rate
    // rounds down (2.5/s → 2 per window), never up past what Meta allows.
    this.#limit = Math.max(1, Math.floor(perSecond));
    this.#windowMs = perSecond < 1 ? THROUGHPUT_WINDOW_MS / perSecond : THROUGHPUT_WINDOW_MS;
    this.#now = now;
    this.#sleep = sleep;
  }

  /**
   * Resolves when the caller may start its request, with the function to call once it is
   * answered. Callers are served first come, first served.
   */
  take(): Promise<WindowPlace> {
    const turn = this.#queue.then(() => this.#acquire());
    this.#queue = turn.catch(() => undefined);
    return turn;
  }

  async #acquire(): Promise<WindowPlace> {
    for (;;) {
      const now = this.#now();
      // Expiries are almost in start order (a slow answer can hold an older place longer):
      // expired places are dropped from the front, and the rest are counted, not copied.
      while (this.#slots.length > 0 && (this.#slots[0] as Slot).expires <= now) this.#slots.shift();
      const live = this.#slots.length - this.#expiredBehindFront(now);
      if (live < this.#limit) {
        // Until answered, it counts as if it could arrive as late as the jitter allows.
        const slot: Slot = {
          start: now,
          sentAt: undefined,
          expires: now + THROUGHPUT_JITTER_MS + this.#windowMs,
        };
        this.#slots.push(slot);
        return {
          sent: () => {
            if (slot.sentAt !== undefined) return;
            slot.sentAt = this.#now();
            slot.expires = Math.max(
              slot.expires,
              slot.sentAt + THROUGHPUT_JITTER_MS + this.#windowMs,
            );
          },
          release: () => {
            const answered = this.#now();
            const left = slot.sentAt ?? slot.start;
            slot.expires = Math.min(answered, left + THROUGHPUT_JITTER_MS) + this.#windowMs;
            // Only an answer that frees a place before the waiter's planned look wakes it early.
            if (this.#waiting !== undefined && slot.expires < this.#waiting.at)
              this.#waiting.wake();
          },
        };
      }
      const ms = Math.max(1, Math.ceil(this.#soonestExpiry(now) - now));
      const sleeping = this.#sleep(ms);
      this.#waiting = { at: now + ms, wake: sleeping.wake };
      await sleeping.done;
      this.#waiting = undefined;
    }
  }

  /**
   * Places that expired behind an older one still counting. A place never expires sooner than
   * `windowMs` after its start, and places are in start order, so only those that started at
   * least `windowMs` ago can have: at most the few of the last jitter, not the whole window
   * (a full scan was up to `limit` steps per request, a thousand at Meta's highest tier).
   */
  #expiredBehindFront(now: number): number {
    let expired = 0;
    for (const slot of this.#slots) {
      if (slot.start + this.#windowMs > now) break;
      if (slot.expires <= now) expired += 1;
    }
    return expired;
  }

  /**
   * When the first counting place frees up. Past a place whose earliest possible expiry
   * (`start + windowMs`) is no sooner than the soonest found, none can be sooner.
   */
  #soonestExpiry(now: number): number {
    let soonest = Number.POSITIVE_INFINITY;
    for (const slot of this.#slots) {
      if (slot.start + this.#windowMs >= soonest) break;
      if (slot.expires > now && slot.expires < soonest) soonest = slot.expires;
    }
    return soonest;
  }
}
