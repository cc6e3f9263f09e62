import { describe, expect, it } from 'vitest';
import type { ChannelAdapter } from '../../src/index';
import { SendTimeoutError } from '../../src/index';
import { SendDeadlines } from '../../src/runtime/outbox/timeout';

const adapter = { id: 'wa-1', provider: 'test' } as ChannelAdapter;
const other = { id: 'wa-2', provider: 'test' } as ChannelAdapter;

/** A call that settles only when told to, and remembers the signal it was given. */
function controllable() {
  let resolve: (value: string) => void = () => undefined;
  let signal: AbortSignal | undefined;
  const call = (given: AbortSignal) => {
    signal = given;
    return new Promise<string>((done) => {
      resolve = done;
    });
  };
  return { call, finish: (value: string) => resolve(value), signal: () => signal };
}

describe('SendDeadlines', () => {
  it('answers a call that settles in time, with its own value or error', async () => {
    const deadlines = new SendDeadlines(1_000);
    const a = deadlines.run(adapter, async () => 'a');
    const b = deadlines.run(adapter, async () => {
      throw new Error('refused');
    });
    const c = deadlines.run(adapter, () => {
      throw new Error('thrown at once');
    });
    expect(await a).toBe('a');
    await expect(b).rejects.toThrow('refused');
    await expect(c).rejects.toThrow('thrown at once');
  });

  it('aborts a late call with a SendTimeoutError naming its adapter, and leaves finished ones alone', async () => {
    const deadlines = new SendDeadlines(20);
    const prompt = controllable();
    const late = controllable();
    const answered = deadlines.run(adapter, prompt.call);
    const waiting = deadlines.run(adapter, late.call);
    prompt.finish('sent');
    expect(await answered).toBe('sent');
    const error = await waiting.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SendTimeoutError);
    expect((error as SendTimeoutError).retryable).toBe(true);
    expect((error as SendTimeoutError).message).toContain('wa-1');
    expect(late.signal()?.aborted).toBe(true);
    expect(late.signal()?.reason).toBe(error);
  });

  it('gives calls of one burst one signal, and each adapter its own', async () => {
    const deadlines = new SendDeadlines(1_000);
    const first = controllable();
    const second = controllable();
    const elsewhere = controllable();
    const calls = [
      deadlines.run(adapter, first.call),
      deadlines.run(adapter, second.call),
      deadlines.run(other, elsewhere.call),
    ];
    expect(first.signal()).toBe(second.signal());
    expect(elsewhere.signal()).not.toBe(first.signal());
    first.finish('1');
    second.finish('2');
    elsewhere.finish('3');
    expect(await Promise.all(calls)).toEqual(['1', '2', '3']);
    expect(first.signal()?.aborted).toBe(false);
  });
});
