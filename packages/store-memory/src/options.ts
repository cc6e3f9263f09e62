import type { Clock } from '@threadline/core';
import { z } from 'zod';

/** Options of {@link createMemoryStore}. */
export interface MemoryStoreOptions {
  /**
   * The source of "now" for TTLs, leases, due times and timestamps. Defaults to the system clock;
   * tests pass a fake clock (`createFakeClock()` from `@threadline/testkit`) and move it.
   */
  clock?: Clock;
  /** Makes ids for users, threads, deliveries and held messages. Defaults to `crypto.randomUUID`. */
  generateId?: () => string;
}

function isClock(value: unknown): value is Clock {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { now?: unknown }).now === 'function'
  );
}

/**
 * The zod schema of {@link MemoryStoreOptions}. `z.custom` keeps the caller's own objects (a
 * class-based clock keeps its prototype and `this`), where `z.object` would copy them. Unknown
 * keys are refused, so a misspelt option fails loudly instead of being ignored.
 */
export const MemoryStoreOptionsSchema = z.strictObject({
  clock: z
    .custom<Clock>(isClock, { error: 'expected a clock: an object with a now() method' })
    .optional(),
  generateId: z
    .custom<() => string>((value) => typeof value === 'function', {
      error: 'expected a function that returns a new id',
    })
    .optional(),
});
