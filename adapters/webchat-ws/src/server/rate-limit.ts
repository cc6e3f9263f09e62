import type { Clock } from '@threadline/core';

/**
 * A token bucket: `burst` frames at once, refilled at `perSecond`. A person types a message every
 * few seconds and the widget sends a typing frame at most every 2 s, so the defaults (20, 5/s)
 * never bother a human and stop a script within a fraction of a second.
 */
export class TokenBucket {
  readonly #burst: number;
  readonly #perMs: number;
  readonly #clock: Clock;
  #tokens: number;
  #last: number;

  constructor(input: { burst: number; perSecond: number; clock: Clock }) {
    this.#burst = input.burst;
    this.#perMs = input.perSecond / 1000;
    this.#clock = input.clock;
    this.#tokens = input.burst;
    this.#last = input.clock.now();
  }

  /** Takes one token; `false` when the bucket is empty (the caller is over the rate). */
  take(): boolean {
    const now = this.#clock.now();
    // A clock that went backwards (a fake clock reset) refills nothing rather than a negative amount.
    const elapsed = Math.max(0, now - this.#last);
    this.#last = now;
    this.#tokens = Math.min(this.#burst, this.#tokens + elapsed * this.#perMs);
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
