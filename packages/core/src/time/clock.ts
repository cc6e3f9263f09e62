/**
 * The source of "now" for everything time-based (TTLs, leases, the session window, schedules).
 * Injected so tests move time forward instead of sleeping.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/** The real clock. */
export const systemClock: Clock = { now: () => Date.now() };
