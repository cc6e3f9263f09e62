import type { Clock } from '@threadline/core';

/** A clock that only moves when told to. */
export interface FakeClock extends Clock {
  /** Moves time forward by `ms`. */
  advance(ms: number): void;
  /** Jumps to an instant (epoch ms or a Date). */
  set(time: number | Date): void;
  /** `now()` as a Date. */
  date(): Date;
}

/** 2026-01-01T00:00:00Z: a fixed, readable start for tests. */
export const FAKE_CLOCK_START = Date.UTC(2026, 0, 1);

/**
 * A fake clock for TTLs, leases and session windows: tests move time instead of sleeping.
 *
 * @example
 * ```ts
 * const clock = createFakeClock();
 * const store = createMemoryStore({ clock });
 * await store.dedupe.claim('k', 1_000);
 * clock.advance(1_001); // the claim has expired
 * ```
 */
export function createFakeClock(start: number | Date = FAKE_CLOCK_START): FakeClock {
  let now = typeof start === 'number' ? start : start.getTime();
  return {
    now: () => now,
    date: () => new Date(now),
    advance(ms) {
      if (!Number.isFinite(ms) || ms < 0)
        throw new RangeError(`advance(ms): expected a non-negative number, got ${ms}`);
      now += ms;
    },
    set(time) {
      now = typeof time === 'number' ? time : time.getTime();
    },
  };
}
