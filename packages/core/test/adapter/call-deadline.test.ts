import { afterEach, describe, expect, it } from 'vitest';
import { callWithTimeout, DeliveryError, type HttpAnswer } from '../../src/index';

const options = { api: 'Example API', provider: 'example', timeoutMs: 5_000 };

/**
 * A fetch that answers when `answer(url)` is called and otherwise waits, rejecting with the
 * signal's reason when its signal aborts, as undici does.
 */
function controllableFetch() {
  const waiting = new Map<string, (response: Response) => void>();
  const signals: AbortSignal[] = [];
  const fetch = ((input: string | URL | Request, init?: RequestInit) =>
    new Promise<Response>((resolve, reject) => {
      const signal = init?.signal as AbortSignal;
      signals.push(signal);
      if (signal.aborted) return reject(signal.reason);
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      waiting.set(String(input), resolve);
    })) as typeof globalThis.fetch;
  return {
    fetch,
    signals,
    answer: (url: string) => waiting.get(url)?.(new Response(`answer to ${url}`)),
  };
}

const warnings: Error[] = [];
const onWarning = (warning: Error) => warnings.push(warning);
process.on('warning', onWarning);
afterEach(() => {
  warnings.length = 0;
});

describe('callWithTimeout deadlines shared by calls started together', () => {
  it('aborts only the calls under the caller signal that aborted', async () => {
    const stub = controllableFetch();
    const first = new AbortController();
    const second = new AbortController();
    const reason = new DeliveryError('stopped waiting', { category: 'provider', provider: 'x' });
    const read = (response: HttpAnswer) => response.text();
    const a = callWithTimeout(
      'https://p.invalid/a',
      {},
      { ...options, fetch: stub.fetch, signal: first.signal },
      read,
    );
    const b = callWithTimeout(
      'https://p.invalid/b',
      {},
      { ...options, fetch: stub.fetch, signal: second.signal },
      read,
    );
    first.abort(reason);
    stub.answer('https://p.invalid/b');
    await expect(a).rejects.toBe(reason);
    await expect(b).resolves.toBe('answer to https://p.invalid/b');
  });

  it('times out a call that started with others that were answered', async () => {
    const stub = controllableFetch();
    const read = (response: HttpAnswer) => response.text();
    const fast = { ...options, timeoutMs: 30, fetch: stub.fetch };
    const answered = callWithTimeout('https://p.invalid/fast', {}, fast, read);
    const hanging = callWithTimeout('https://p.invalid/hang', {}, fast, read).catch(
      (error: unknown) => error,
    );
    stub.answer('https://p.invalid/fast');
    await expect(answered).resolves.toBe('answer to https://p.invalid/fast');
    const failure = await hanging;
    expect(failure).toBeInstanceOf(DeliveryError);
    expect(failure).toMatchObject({ message: 'Example API call failed: no answer within 30 ms' });
    // The calls started together ran under one signal, and a later call gets a fresh one.
    expect(stub.signals[0]).toBe(stub.signals[1]);
    const later = callWithTimeout('https://p.invalid/later', {}, fast, read);
    stub.answer('https://p.invalid/later');
    await expect(later).resolves.toBe('answer to https://p.invalid/later');
    expect(stub.signals[2]).not.toBe(stub.signals[0]);
    expect(stub.signals[2]?.aborted).toBe(false);
  });

  it('keeps calls with different timeouts on their own deadlines', async () => {
    const stub = controllableFetch();
    const read = (response: HttpAnswer) => response.text();
    const short = callWithTimeout(
      'https://p.invalid/short',
      {},
      { ...options, timeoutMs: 20, fetch: stub.fetch },
      read,
    ).catch((error: unknown) => error);
    const long = callWithTimeout(
      'https://p.invalid/long',
      {},
      { ...options, timeoutMs: 5_000, fetch: stub.fetch },
      read,
    );
    expect(await short).toMatchObject({
      message: 'Example API call failed: no answer within 20 ms',
    });
    stub.answer('https://p.invalid/long');
    await expect(long).resolves.toBe('answer to https://p.invalid/long');
  });

  it('warns of no listener leak when many calls share a caller signal', async () => {
    const stub = controllableFetch();
    const caller = new AbortController();
    const read = (response: HttpAnswer) => response.text();
    const calls = Array.from({ length: 40 }, (_, k) =>
      callWithTimeout(
        `https://p.invalid/${k}`,
        {},
        { ...options, fetch: stub.fetch, signal: caller.signal },
        read,
      ),
    );
    for (let k = 0; k < 40; k += 1) stub.answer(`https://p.invalid/${k}`);
    expect(await Promise.all(calls)).toHaveLength(40);
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings.map((warning) => warning.name)).not.toContain('MaxListenersExceededWarning');
  });
});
