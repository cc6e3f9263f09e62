import { describe, expect, it } from 'vitest';
import { PACING_WINDOW_MS, Pacer, type PacerTimer } from '../../src/runtime/outbox/pacer';

/** The most times in any half-open window of `windowMs` (how the bench counts a busiest second). */
function maxInWindow(sorted: readonly number[], windowMs: number): number {
  let most = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end += 1) {
    while ((sorted[end] as number) - (sorted[start] as number) >= windowMs) start += 1;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

/** A seeded generator, so a failure repeats. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

interface LoopOptions {
  /** Every timer fires up to this much late (a busy loop). */
  lateMs: number;
  /** Every `stallEveryMs` the whole loop blocks for `stallMs` (a GC pause, a long task). */
  stallEveryMs?: number;
  stallMs?: number;
  seed?: number;
}

/**
 * A fake event loop: a clock that only moves when a timer fires, timers that fire late by a
 * random few ms, and stalls during which nothing runs and after which every due timer fires at
 * once, bunched, as in a real process.
 */
function fakeLoop(options: LoopOptions) {
  const next = random(options.seed ?? 7);
  let now = 0;
  let nextStall = options.stallEveryMs ?? Number.POSITIVE_INFINITY;
  const timers: Array<{ at: number; run: () => void }> = [];
  const timer: PacerTimer = (run, ms) => {
    timers.push({ at: now + Math.max(1, ms) + next() * options.lateMs, run });
  };
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return {
    now: () => now,
    timer,
    sleep(ms: number): Promise<void> {
      return new Promise((resolve) => timer(resolve, ms));
    },
    async runUntil(done: () => boolean): Promise<void> {
      await settle();
      while (!done()) {
        timers.sort((a, b) => a.at - b.at);
        const due = timers.shift();
        if (due === undefined) throw new Error('nothing left to run');
        now = Math.max(now, due.at);
        if (now >= nextStall) {
          now += options.stallMs ?? 0;
          nextStall += options.stallEveryMs ?? 0;
        }
        due.run();
        await settle();
      }
    },
  };
}

/** `workers` callers each taking a place and "sending" for `sendMs`, until `total` were let go. */
async function bulk(options: LoopOptions & { rate: number; total: number; workers: number }) {
  const loop = fakeLoop(options);
  const pacer = new Pacer(loop.now, loop.timer);
  const granted: number[] = [];
  let immediate = 0;
  const worker = async () => {
    while (granted.length < options.total) {
      const waiting = pacer.take('wa', options.rate);
      if (waiting) await waiting;
      else immediate += 1;
      granted.push(loop.now());
      await loop.sleep(5);
    }
  };
  const running = Promise.all(Array.from({ length: options.workers }, worker));
  await loop.runUntil(() => granted.length >= options.total);
  // Let the workers see the total and end.
  await loop.runUntil(() => true);
  void running;
  const first = granted[0] as number;
  const last = granted[granted.length - 1] as number;
  return {
    granted,
    immediate,
    rate: ((granted.length - 1) / (last - first)) * 1_000,
    busiest: maxInWindow(granted, PACING_WINDOW_MS),
  };
}

describe('Pacer', () => {
  it('never lets more than the rate go in any 1-s window, even when the loop stalls', async () => {
    const result = await bulk({
      rate: 1_000,
      total: 20_000,
      workers: 250,
      lateMs: 3,
      stallEveryMs: 1_700,
      stallMs: 274,
    });
    expect(result.busiest).toBeLessThanOrEqual(1_000);
    // The backlog of a stall catches up within what the window allows: the long run holds.
    expect(Math.abs(result.rate - 1_000) / 1_000).toBeLessThan(0.02);
  });

  it('spaces sends evenly rather than in bursts, at the configured long-run rate', async () => {
    const result = await bulk({ rate: 80, total: 800, workers: 20, lateMs: 2 });
    expect(result.busiest).toBeLessThanOrEqual(80);
    expect(Math.abs(result.rate - 80) / 80).toBeLessThan(0.02);
    // 80/s is one per 12.5 ms: a tenth of a second never carries more than its share and a timer.
    expect(maxInWindow(result.granted, 100)).toBeLessThanOrEqual(9);
  });

  it('lets a send below the rate go at once, without a promise or a timer', () => {
    const pacer = new Pacer(
      () => 0,
      () => {
        throw new Error('no timer expected');
      },
    );
    expect(pacer.take('sms', 10)).toBeUndefined();
    expect(pacer.take('email', 10)).toBeUndefined();
    const loop = fakeLoop({ lateMs: 0 });
    const paced = new Pacer(loop.now, loop.timer);
    expect(paced.take('sms', 10)).toBeUndefined();
    expect(paced.take('sms', 10)).toBeInstanceOf(Promise);
  });

  it('stretches the window below one send a second', async () => {
    const loop = fakeLoop({ lateMs: 0 });
    const pacer = new Pacer(loop.now, loop.timer);
    const granted: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      void Promise.resolve(pacer.take('slow', 0.5)).then(() => granted.push(loop.now()));
    }
    await loop.runUntil(() => granted.length === 3);
    expect(granted).toEqual([0, 2_000, 4_000]);
  });

  it('never waits for a sender whose rate is in effect unlimited (web chat)', () => {
    const pacer = new Pacer(
      () => 5,
      () => {
        throw new Error('no timer expected');
      },
    );
    for (let i = 0; i < 1_000; i += 1)
      expect(pacer.take('webchat', Number.MAX_VALUE)).toBe(undefined);
  });

  it('keeps waiting callers in order when the rate changes', async () => {
    const loop = fakeLoop({ lateMs: 0 });
    const pacer = new Pacer(loop.now, loop.timer);
    const order: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      void Promise.resolve(pacer.take('wa', 1)).then(() => order.push(i));
    }
    void Promise.resolve(pacer.take('wa', 2)).then(() => order.push(4));
    await loop.runUntil(() => order.length === 5);
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });
});
