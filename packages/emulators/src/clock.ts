import { z } from 'zod';

/** A source of "now" in milliseconds since the Unix epoch (the same shape as `@threadline/core`'s). */
export interface Clock {
  now(): number;
}

/** The real clock. */
export const systemClock: Clock = { now: () => Date.now() };

/**
 * A clock an emulator can move forward: the caller's clock plus an offset. Moving time this way
 * works whether the caller injected a fake clock or not, so a demo running on real time can still
 * jump 25 hours ahead to show what a closed WhatsApp window looks like.
 */
export interface MovableClock extends Clock {
  /** Moves this clock forward by `ms` (never back: windows and rates only make sense forwards). */
  advance(ms: number): void;
}

/**
 * Wraps `base` in a {@link MovableClock}.
 *
 * @example
 * ```ts
 * const clock = createMovableClock(systemClock);
 * clock.advance(25 * 60 * 60 * 1000); // tomorrow, as far as the emulator is concerned
 * ```
 */
export function createMovableClock(base: Clock = systemClock): MovableClock {
  let offset = 0;
  return {
    now: () => base.now() + offset,
    advance(ms) {
      if (!Number.isFinite(ms) || ms < 0) {
        throw new RangeError(`advance(ms): expected a non-negative number, got ${ms}`);
      }
      offset += ms;
    },
  };
}

/** Whether `value` can serve as a {@link Clock}: an object with a `now()` method. */
function isClock(value: unknown): value is Clock {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { now?: unknown }).now === 'function'
  );
}

/**
 * The `clock` option every emulator takes, checked at construction.
 *
 * @example
 * ```ts
 * const OptionsSchema = z.object({ clock: ClockOptionSchema.optional() });
 * ```
 */
export const ClockOptionSchema = z.custom<Clock>(isClock, {
  error: 'expected a clock: an object with a now() method',
});
