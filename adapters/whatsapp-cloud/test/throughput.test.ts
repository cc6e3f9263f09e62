import { describe, expect, it } from 'vitest';
import { THROUGHPUT_WINDOW_MS, ThroughputWindow } from '../src/throughput';

/**
 * Runs the window on a fake clock: requests arrive at `arrivals` (ms); sleeping moves the clock,
 * plus `lateness` ms per timer (a busy event loop). Returns when each request was let start.
 */
async function starts(perSecond: number, arrivals: number[], lateness = 0): Promise<number[]> {
  let now = 0;
  const sleepers: Array<{ until: number; wake: () => void }> = [];
  const window = new ThroughputWindow(
    perSecond,
    () => now,
    (ms) => new Promise((wake) => sleepers.push({ until: now + ms + lateness, wake })),
  );
  const started: number[] = [];
  const pending: Promise<void>[] = [];
  const events = arrivals.map((at, index) => ({ at, index })).sort((a, b) => a.at - b.at);
  const flush = () => new Promise((resolve) => setImmediate(resolve));
  for (;;) {
    const nextArrival = events[0]?.at ?? Number.POSITIVE_INFINITY;
    sleepers.sort((a, b) => a.until - b.until);
    const nextWake = sleepers[0]?.until ?? Number.POSITIVE_INFINITY;
    if (nextArrival === Number.POSITIVE_INFINITY && nextWake === Number.POSITIVE_INFINITY) break;
    if (nextArrival <= nextWake) {
      const { at, index } = events.shift() as { at: number; index: number };
      now = at;
      pending.push(
        window.take().then(() => {
          started[index] = now;
        }),
      );
    } else {
      now = nextWake;
      sleepers.shift()?.wake();
    }
    await flush();
  }
  await Promise.all(pending);
  return started;
}

function busiestWindow(times: number[], windowMs = 1_000): number {
  return Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + windowMs).length));
}

describe('the throughput window', () => {
  it('lets a burst of `perSecond` through at once and holds the next until the window moves', async () => {
    expect(await starts(5, [0, 0, 0, 0, 0, 0, 0])).toEqual([
      0,
      0,
      0,
      0,
      0,
      THROUGHPUT_WINDOW_MS,
      THROUGHPUT_WINDOW_MS,
    ]);
  });

  it('never lets more than `perSecond` start in any second, even when its timers fire late', async () => {
    // Clumps that an evenly spaced pacer produces when a timer fires late and the next on time.
    const arrivals = Array.from({ length: 200 }, (_, i) => i * 25 + (i % 7 === 0 ? 24 : 0));
    for (const lateness of [0, 7, 40]) {
      expect(busiestWindow(await starts(40, arrivals, lateness)), `lateness ${lateness}`).toBe(40);
    }
  });

  it('hardly delays requests that arrive evenly at the rate', async () => {
    const done = await starts(
      40,
      Array.from({ length: 200 }, (_, i) => i * 25),
    );
    expect(done.at(-1) as number).toBeLessThan(199 * 25 * 1.03);
  });

  it('serves callers in order and rounds a fractional rate down, stretching the window below 1/s', async () => {
    expect(await starts(2.5, [0, 0, 0])).toEqual([0, 0, THROUGHPUT_WINDOW_MS]);
    expect(await starts(0.5, [0, 0])).toEqual([0, THROUGHPUT_WINDOW_MS * 2]);
  });
});
