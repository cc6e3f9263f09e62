import type { Threadline } from '@threadline/core';

/** Template sends scheduled at once: enough to be quick, few enough not to starve a pool. */
export const SCHEDULING_CONCURRENCY = 25;

/**
 * Far enough ahead that the writer never sends what it schedules; instances whose clocks run
 * {@link DISPATCHER_CLOCK_AHEAD_MS} ahead see it all due at once.
 */
export const SCHEDULE_AHEAD_MS = 3_600_000;
export const DISPATCHER_CLOCK_AHEAD_MS = 2 * SCHEDULE_AHEAD_MS;

/** `count` distinct UK mobile numbers (E.164); Meta's `to` is the same without the `+`. */
export function phoneNumbers(count: number, block = 0): string[] {
  return Array.from(
    { length: count },
    (_, i) => `+447${String(block).padStart(3, '0')}${String(i).padStart(6, '0')}`,
  );
}

/**
 * Schedules one template to each number through the public API (`sendAt`), a few at a time, and
 * returns the delivery ids: all of them exist before any dispatcher polls.
 */
export async function scheduleTemplates(
  writer: Threadline,
  numbers: readonly string[],
): Promise<Set<string>> {
  const sendAt = new Date(Date.now() + SCHEDULE_AHEAD_MS);
  const ids = new Set<string>();
  for (let i = 0; i < numbers.length; i += SCHEDULING_CONCURRENCY) {
    const results = await Promise.all(
      numbers.slice(i, i + SCHEDULING_CONCURRENCY).map((phoneNumber) =>
        writer.channels.whatsapp.sendTemplate({
          to: { phoneNumber },
          template: { name: 'fault_scheduled', languageCode: 'en_US' },
          options: { sendAt },
        }),
      ),
    );
    for (const result of results) ids.add(result.deliveryId);
  }
  return ids;
}

/** Numbers (E.164) the provider never received (it keys by `to`, digits only). */
export function missing(numbers: readonly string[], received: ReadonlyMap<string, number>): number {
  return numbers.filter((number) => !received.has(number.slice(1))).length;
}
