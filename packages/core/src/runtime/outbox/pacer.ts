/**
 * Spaces sends to one sender evenly at its rate (`capabilities.rate.perSecond`), so no second ever
 * carries more than the provider allows (WhatsApp answers 130429 past its per-number throughput).
 * It paces this process only; several instances sharing one sender should divide the rate.
 *
 * Pacing uses the monotonic clock, not the injectable business clock: it controls throughput, and
 * a test's frozen clock must not stall sends.
 */
export class Pacer {
  readonly #nextSlot = new Map<string, number>();
  readonly #now: () => number;

  constructor(now: () => number = () => performance.now()) {
    this.#now = now;
  }

  /**
   * Reserves the next slot and returns how many ms until it (0: now). The caller sleeps only when
   * it must: most sends below the rate never wait, and skip a timer and a promise.
   */
  reserve(key: string, perSecond: number): number {
    const interval = 1_000 / perSecond;
    const now = this.#now();
    const slot = Math.max(now, this.#nextSlot.get(key) ?? now);
    this.#nextSlot.set(key, slot + interval);
    return slot - now;
  }
}
