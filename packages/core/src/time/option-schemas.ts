import { z } from 'zod';
import type { Clock } from './clock';

/**
 * Zod schemas for the function-valued options adapters and stores share: an injected clock and a
 * replacement `fetch`. One definition, so every factory words its error the same way.
 *
 * @example
 * ```ts
 * const Options = z.object({ clock: ClockOptionSchema.optional(), fetch: FetchOptionSchema.optional() });
 * ```
 */
export const ClockOptionSchema = z.custom<Clock>(
  (value) =>
    typeof value === 'object' && value !== null && typeof (value as Clock).now === 'function',
  { message: 'expected a clock with a now() method' },
);

/** A `fetch` function (a proxy agent's, an edge runtime's). */
export const FetchOptionSchema = z.custom<typeof fetch>((value) => typeof value === 'function', {
  message: 'expected a fetch function',
});
