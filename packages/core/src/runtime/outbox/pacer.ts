/**
 * The window a sender's rate (`capabilities.rate.perSecond`) is counted over. Providers count per
 * second (WhatsApp answers 130429 past a number's throughput), so no second may carry more.
 */
export const PACING_WINDOW_MS = 1_000;

/**
 * Above this rate the pacer keeps no log of grants and only spaces them. A log holds one time per
 * grant in the window (8 bytes each), and no provider we know allows more than a few thousand
 * sends a second per sender; web chat, which has no provider, declares the largest double so that
 * it is never paced at all (its interval is below the precision of any timestamp).
 */
export const MAX_LOGGED_RATE = 100_000;

/** Runs `run` after about `ms` (never before: a timer that fires early only makes it look again). */
export type PacerTimer = (run: () => void, ms: number) => void;

const realTimer: PacerTimer = (run, ms) => {
  setTimeout(run, ms);
};

interface Waiter {
  slot: number;
  resolve: () => void;
}

/** One sender's pacing state. */
interface Lane {
  perSecond: number;
  /** Grants allowed in any `windowMs`: the rate, rounded down, never up past what is allowed. */
  capacity: number;
  windowMs: number;
  /** Even spacing between slots: `1000 / perSecond`. */
  interval: number;
  /** The slot the next caller is given, unless "now" is later. */
  nextSlot: number;
  /** The last `capacity` grant times, a ring (absent above {@link MAX_LOGGED_RATE}). */
  grants: Float64Array | undefined;
  /** Where the oldest grant is in the ring, and how many it holds. */
  oldest: number;
  count: number;
  /** Callers whose slot or window place is not yet reached, first come first served. */
  waiting: Waiter[];
  armed: boolean;
}

/**
 * Paces sends to one sender at its rate (`capabilities.rate.perSecond`), so that **no 1-s window
 * of grants ever holds more than the rate**, whatever the event loop does.
 *
 * Two rules, both checked at the moment a send is let go, on the real clock:
 * - *spacing*: each caller gets the next slot of an even schedule (`1000 / perSecond` apart), so
 *   sends leave smoothly rather than in bursts;
 * - *a sliding window*: a send goes only if the send `capacity` grants before it is at least
 *   {@link PACING_WINDOW_MS} old (a log of the last `capacity` grant times).
 *
 * Spacing alone is not enough: it spaces *reservations*, and when the process stalls (a GC pause,
 * a long task) every timer that was due during the stall fires at once after it, bunched with the
 * sends due next (B3 measured a busiest second of 1,040 at 1,000/s that way). The window lets such
 * a backlog catch up only as far as the last second allows, so the long-run rate still reaches
 * the configured one. It paces this process only; several instances sharing one sender should
 * divide the rate.
 *
 * Pacing uses the monotonic clock, not the injectable business clock: it controls throughput, and
 * a test's frozen clock must not stall sends.
 *
 * @example
 * ```ts
 * const pacer = new Pacer();
 * const waiting = pacer.take('whatsapp-1065', 80);
 * if (waiting) await waiting; // most sends below the rate skip the promise and the timer
 * await adapter.send(envelope);
 * ```
 */
export class Pacer {
  readonly #lanes = new Map<string, Lane>();
  readonly #now: () => number;
  readonly #timer: PacerTimer;

  constructor(now: () => number = () => performance.now(), timer: PacerTimer = realTimer) {
    this.#now = now;
    this.#timer = timer;
  }

  /**
   * Takes the next place for `key` at `perSecond`: `undefined` when the caller may send now, or
   * a promise that resolves when it may. Callers of one key are let go in call order.
   */
  take(key: string, perSecond: number): Promise<void> | undefined {
    const lane = this.#lane(key, perSecond);
    const now = this.#now();
    const slot = Math.max(now, lane.nextSlot);
    lane.nextSlot = slot + lane.interval;
    if (lane.waiting.length === 0 && slot <= now && opensAt(lane) <= now) {
      record(lane, now);
      return undefined;
    }
    return new Promise<void>((resolve) => {
      lane.waiting.push({ slot, resolve });
      this.#arm(lane);
    });
  }

  #lane(key: string, perSecond: number): Lane {
    let lane = this.#lanes.get(key);
    if (lane === undefined) {
      lane = {
        perSecond,
        capacity: 1,
        windowMs: PACING_WINDOW_MS,
        interval: 0,
        nextSlot: Number.NEGATIVE_INFINITY,
        grants: undefined,
        oldest: 0,
        count: 0,
        waiting: [],
        armed: false,
      };
      configure(lane, perSecond);
      this.#lanes.set(key, lane);
    } else if (lane.perSecond !== perSecond) {
      // An adapter reconfigured: whoever waits keeps its place; the log starts again.
      configure(lane, perSecond);
    }
    return lane;
  }

  /** Lets go every waiter whose slot and window place are reached, then waits for the next. */
  #release(lane: Lane): void {
    lane.armed = false;
    const now = this.#now();
    let released = 0;
    for (const waiter of lane.waiting) {
      if (Math.max(waiter.slot, opensAt(lane)) > now) break;
      record(lane, now);
      waiter.resolve();
      released += 1;
    }
    if (released > 0) lane.waiting.splice(0, released);
    this.#arm(lane);
  }

  #arm(lane: Lane): void {
    const first = lane.waiting[0];
    if (lane.armed || first === undefined) return;
    lane.armed = true;
    const at = Math.max(first.slot, opensAt(lane));
    this.#timer(() => this.#release(lane), Math.max(0, at - this.#now()));
  }
}

function configure(lane: Lane, perSecond: number): void {
  // Below 1/s the window stretches (0.5/s: one send per 2 s); above it a fractional rate rounds
  // down (2.5/s → 2 per second), as the WhatsApp adapter's own window does.
  const capacity = Math.max(1, Math.floor(perSecond));
  lane.perSecond = perSecond;
  lane.capacity = capacity;
  lane.windowMs = perSecond < 1 ? PACING_WINDOW_MS / perSecond : PACING_WINDOW_MS;
  lane.interval = PACING_WINDOW_MS / perSecond;
  lane.grants = capacity <= MAX_LOGGED_RATE ? new Float64Array(capacity) : undefined;
  lane.oldest = 0;
  lane.count = 0;
}

/** When the window has room for one more grant: at once until it holds `capacity` of them. */
function opensAt(lane: Lane): number {
  if (lane.grants === undefined || lane.count < lane.capacity) return Number.NEGATIVE_INFINITY;
  return (lane.grants[lane.oldest] as number) + lane.windowMs;
}

function record(lane: Lane, at: number): void {
  const { grants } = lane;
  if (grants === undefined) return;
  if (lane.count < lane.capacity) {
    grants[(lane.oldest + lane.count) % lane.capacity] = at;
    lane.count += 1;
    return;
  }
  // Full: the oldest grant leaves the window's log and this one takes its place.
  grants[lane.oldest] = at;
  lane.oldest = (lane.oldest + 1) % lane.capacity;
}
