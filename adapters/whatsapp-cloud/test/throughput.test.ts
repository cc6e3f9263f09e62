import { describe, expect, it } from 'vitest';
import { THROUGHPUT_JITTER_MS, THROUGHPUT_WINDOW_MS, ThroughputWindow } from '../src/throughput';

interface Simulation {
  /** When each request was let start. */
  started: number[];
  /** When each request reached Meta: its start plus its delay in transit. */
  arrived: number[];
}

/**
 * Runs the window on a fake clock: requests come at `arrivals` (ms); each is answered `latency` ms
 * after it starts and reaches Meta `transit(i)` ms after it starts (never after its answer);
 * sleeping moves the clock, plus `lateness` ms per timer (a busy event loop).
 */
async function simulate(
  perSecond: number,
  arrivals: number[],
  options: {
    lateness?: number;
    latency?: number;
    transit?: (index: number) => number;
    /** How long after its start request `index` leaves the process (a stall before the write). */
    leaves?: (index: number) => number;
  } = {},
): Promise<Simulation> {
  const { lateness = 0, latency = 0, transit = () => 0, leaves } = options;
  let now = 0;
  const timers: Array<{ at: number; run: () => void }> = [];
  const window = new ThroughputWindow(
    perSecond,
    () => now,
    (ms) => {
      const timer = { at: now + ms + lateness, run: () => {} };
      const done = new Promise<void>((resolve) => {
        timer.run = resolve;
      });
      timers.push(timer);
      return {
        done,
        wake: () => {
          timers.splice(timers.indexOf(timer), 1);
          timer.run();
        },
      };
    },
  );
  const started: number[] = [];
  const arrived: number[] = [];
  const pending: Promise<void>[] = [];
  const events = arrivals.map((at, index) => ({ at, index })).sort((a, b) => a.at - b.at);
  const flush = () => new Promise((resolve) => setImmediate(resolve));
  for (;;) {
    const nextArrival = events[0]?.at ?? Number.POSITIVE_INFINITY;
    timers.sort((a, b) => a.at - b.at);
    const nextTimer = timers[0]?.at ?? Number.POSITIVE_INFINITY;
    if (nextArrival === Number.POSITIVE_INFINITY && nextTimer === Number.POSITIVE_INFINITY) break;
    if (nextArrival <= nextTimer) {
      const { at, index } = events.shift() as { at: number; index: number };
      now = at;
      pending.push(
        window.take().then((place) => {
          started[index] = now;
          // Sent `leaves` after its start (if the transport tells), answered `latency` after that.
          const left = now + (leaves?.(index) ?? 0);
          arrived[index] = left + Math.min(transit(index), latency);
          if (leaves !== undefined) timers.push({ at: left, run: place.sent });
          timers.push({ at: left + latency, run: place.release });
        }),
      );
    } else {
      const timer = timers.shift() as { at: number; run: () => void };
      now = Math.max(now, timer.at);
      timer.run();
    }
    await flush();
  }
  await Promise.all(pending);
  return { started, arrived };
}

function busiestWindow(times: number[], windowMs = 1_000): number {
  return Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + windowMs).length));
}

describe('the throughput window', () => {
  it('lets a burst of `perSecond` through at once; the next waits a window past the answers', async () => {
    const { started } = await simulate(5, [0, 0, 0, 0, 0, 0, 0], { latency: 10 });
    expect(started).toEqual([0, 0, 0, 0, 0, 10 + THROUGHPUT_WINDOW_MS, 10 + THROUGHPUT_WINDOW_MS]);
  });

  it('keeps every second at Meta within `perSecond` when requests reach it late', async () => {
    // Requests leave evenly, but a run of them spends most of the jitter allowance in transit (a
    // stall after they left): counting starts alone lets them bunch with the next second's.
    const arrivals = Array.from({ length: 400 }, (_, i) => i * 20);
    for (const lateness of [0, 7, 40]) {
      const { arrived } = await simulate(40, arrivals, {
        lateness,
        latency: 45,
        transit: (i) => (i >= 100 && i < 110 ? THROUGHPUT_JITTER_MS - 2 : 1),
      });
      expect(busiestWindow(arrived), `lateness ${lateness}`).toBeLessThanOrEqual(40);
    }
  });

  it('counts the jitter from when a request left, so a stall before the write does not bunch arrivals', async () => {
    // A run of requests waits 60 ms between the window and the socket (a busy event loop), then
    // reaches Meta at once: counted from their start, they would expire before they arrived.
    const arrivals = Array.from({ length: 400 }, (_, i) => i * 20);
    const leaves = (i: number) => (i >= 100 && i < 110 ? 60 - (i - 100) * 6 : 0);
    const { arrived } = await simulate(40, arrivals, {
      latency: 45,
      transit: () => THROUGHPUT_JITTER_MS - 2,
      leaves,
    });
    expect(busiestWindow(arrived)).toBeLessThanOrEqual(40);
  });

  it('never lets more than `perSecond` start in any second, even when its timers fire late', async () => {
    // Clumps that an evenly spaced pacer produces when a timer fires late and the next on time.
    const arrivals = Array.from({ length: 200 }, (_, i) => i * 25 + (i % 7 === 0 ? 24 : 0));
    for (const lateness of [0, 7, 40]) {
      const { started } = await simulate(40, arrivals, { lateness, latency: 5 });
      expect(busiestWindow(started), `lateness ${lateness}`).toBeLessThanOrEqual(40);
    }
  });

  it('hardly delays requests that come evenly at the rate from a fast API', async () => {
    const { started } = await simulate(
      40,
      Array.from({ length: 200 }, (_, i) => i * 25),
      { latency: 5 },
    );
    expect(started.at(-1) as number).toBeLessThan(199 * 25 * 1.03);
  });

  it('holds a slowly answered request’s place for at most the jitter allowance', async () => {
    const { started } = await simulate(2, [0, 0, 0], { latency: 400 });
    expect(started).toEqual([0, 0, THROUGHPUT_JITTER_MS + THROUGHPUT_WINDOW_MS]);
  });

  it('serves callers in order and rounds a fractional rate down, stretching the window below 1/s', async () => {
    expect((await simulate(2.5, [0, 0, 0])).started).toEqual([0, 0, THROUGHPUT_WINDOW_MS]);
    expect((await simulate(0.5, [0, 0])).started).toEqual([0, THROUGHPUT_WINDOW_MS * 2]);
  });
});
