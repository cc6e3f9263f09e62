import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { callWithTimeout, DeliveryError, type HttpAnswer, rememberBounded } from '../../src/index';

const servers: Server[] = [];

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const options = { api: 'Example API', provider: 'example', timeoutMs: 5_000 };

describe('callWithTimeout', () => {
  it('stops a call when the caller’s signal aborts, throwing the signal’s reason', async () => {
    let requests = 0;
    const controller = new AbortController();
    const reason = new DeliveryError('stopped waiting', { category: 'provider', provider: 'x' });
    // Never answers: the caller gives up once the request has arrived.
    const base = await listen(() => {
      requests += 1;
      controller.abort(reason);
    });
    const call = callWithTimeout(
      `${base}/hangs`,
      {},
      { ...options, signal: controller.signal },
      async () => 'answered',
    );
    await expect(call).rejects.toBe(reason);
    expect(requests).toBe(1);

    // Aborted before the call: no request is made at all.
    await expect(
      callWithTimeout(
        `${base}/never`,
        {},
        { ...options, signal: controller.signal },
        async () => '',
      ),
    ).rejects.toBe(reason);
    expect(requests).toBe(1);
  });

  it('hands any HTTP answer, 2xx or not, to read', async () => {
    const base = await listen((request, response) => {
      response.statusCode = request.url === '/ok' ? 200 : 429;
      response.end(`${request.method} ${request.url}`);
    });
    const read = async (response: HttpAnswer) => `${response.status} ${await response.text()}`;
    expect(await callWithTimeout(`${base}/ok`, { method: 'POST' }, options, read)).toBe(
      '200 POST /ok',
    );
    expect(await callWithTimeout(`${base}/slow-down`, {}, options, read)).toBe(
      '429 GET /slow-down',
    );
  });

  it('turns a refused connection into a retryable DeliveryError naming the API', async () => {
    const base = await listen(() => {});
    const closed = servers.pop() as Server;
    await new Promise((resolve) => closed.close(resolve));
    const failure = await callWithTimeout(base, {}, options, async () => 'read').catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(DeliveryError);
    expect(failure).toMatchObject({
      provider: 'example',
      category: 'provider',
      retryable: true,
      message: expect.stringMatching(/^Example API call failed: /),
    });
  });

  // A read goes over fetch, a send over the Node transport (node-transport.test.ts): both alike.
  it.each([
    ['a read (fetch)', {}],
    ['a send (node:http)', { method: 'POST', body: '{}' }],
  ])('aborts %s with no answer within timeoutMs and says so', async (_, init) => {
    const base = await listen(() => {
      // Never answers.
    });
    const failure = await callWithTimeout(
      base,
      init,
      { ...options, timeoutMs: 20 },
      async () => 'read',
    ).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DeliveryError);
    expect(failure).toMatchObject({
      retryable: true,
      message: 'Example API call failed: no answer within 20 ms',
    });
    expect((failure as DeliveryError).cause).toMatchObject({ name: 'TimeoutError' });
  });

  it('uses the fetch it is given', async () => {
    const seen: string[] = [];
    const answer = await callWithTimeout(
      'https://provider.invalid/x',
      { method: 'DELETE' },
      {
        ...options,
        fetch: async (input, init) => {
          seen.push(`${init?.method} ${String(input)} ${init?.signal instanceof AbortSignal}`);
          return new Response('gone', { status: 200 });
        },
      },
      (response) => response.text(),
    );
    expect(answer).toBe('gone');
    expect(seen).toEqual(['DELETE https://provider.invalid/x true']);
  });
});

describe('rememberBounded', () => {
  it('keeps the newest entries, a re-set key counting as new', () => {
    const map = new Map<string, number>();
    rememberBounded(map, 'a', 1, 2);
    rememberBounded(map, 'b', 2, 2);
    rememberBounded(map, 'a', 3, 2);
    rememberBounded(map, 'c', 4, 2);
    expect([...map]).toEqual([
      ['a', 3],
      ['c', 4],
    ]);
  });
});
