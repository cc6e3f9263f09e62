import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { callWithTimeout, DeliveryError, type HttpAnswer } from '../../src/index';

// The Node transport `callWithTimeout` uses for sends when no `fetch` is injected: against a real
// loopback server, since what matters is what reaches the wire and how the answer is read.

const servers: Server[] = [];

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  port: number;
}

async function listen(
  answer: (seen: Seen, response: ServerResponse) => void,
): Promise<{ base: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      const one = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body,
        port: request.socket.remotePort ?? 0,
      };
      seen.push(one);
      answer(one, response);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const options = { api: 'Example API', provider: 'example', timeoutMs: 5_000 };
const text = (response: HttpAnswer) => response.text();

describe('callWithTimeout over node:http (sends, no fetch injected)', () => {
  it('writes method, headers and body as fetch would, and reads status, headers and body', async () => {
    const { base, seen } = await listen((_, response) => {
      response.setHeader('x-request-id', ['a', 'b']);
      response.setHeader('content-type', 'application/json');
      response.statusCode = 201;
      response.end('{"id":"m1"}');
    });
    const answer = await callWithTimeout(
      `${base}/v1/messages`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', authorization: 'Bearer t' },
        body: JSON.stringify({ text: 'héllo' }),
      },
      options,
      async (response) => {
        const names: string[] = [];
        response.headers.forEach((_, name) => {
          names.push(name);
        });
        return {
          ok: response.ok,
          status: response.status,
          requestId: response.headers.get('X-Request-Id'),
          missing: response.headers.get('retry-after'),
          names,
          body: await response.json(),
        };
      },
    );
    expect(answer).toEqual({
      ok: true,
      status: 201,
      requestId: 'a, b',
      missing: null,
      names: expect.arrayContaining(['x-request-id', 'content-type']),
      body: { id: 'm1' },
    });
    expect(seen).toMatchObject([
      {
        method: 'POST',
        url: '/v1/messages',
        body: '{"text":"héllo"}',
        headers: {
          'content-type': 'application/json',
          authorization: 'Bearer t',
          'content-length': String(Buffer.byteLength('{"text":"héllo"}')),
        },
      },
    ]);
  });

  it('sends a form body with the content type fetch gives it', async () => {
    const { base, seen } = await listen((_, response) => response.end('ok'));
    const form = new URLSearchParams({ To: '+447700900001', Body: 'a & b' });
    await callWithTimeout(`${base}/Messages.json`, { method: 'POST', body: form }, options, text);
    expect(seen[0]?.body).toBe('To=%2B447700900001&Body=a+%26+b');
    expect(seen[0]?.headers['content-type']).toBe(
      'application/x-www-form-urlencoded;charset=UTF-8',
    );
  });

  it('keeps the connection for the next call', async () => {
    const { base, seen } = await listen((_, response) => response.end('ok'));
    for (let call = 0; call < 3; call += 1)
      await callWithTimeout(base, { method: 'POST', body: 'x' }, options, text);
    expect(new Set(seen.map((one) => one.port)).size).toBe(1);
  });

  it('decodes a gzip answer', async () => {
    const { base } = await listen((_, response) => {
      response.setHeader('content-encoding', 'gzip');
      response.end(gzipSync('{"compressed":true}'));
    });
    expect(
      await callWithTimeout(base, { method: 'POST', body: '{}' }, options, (r) => r.json()),
    ).toEqual({ compressed: true });
  });

  it('follows a 307 with the same body, and drops the credentials on another origin', async () => {
    const other = await listen((_, response) => response.end('there'));
    const { base, seen } = await listen((one, response) => {
      response.statusCode = 307;
      response.setHeader('location', one.url === '/first' ? '/second' : `${other.base}/third`);
      response.end();
    });
    const answer = await callWithTimeout(
      `${base}/first`,
      { method: 'POST', headers: { authorization: 'Bearer t' }, body: 'payload' },
      options,
      text,
    );
    expect(answer).toBe('there');
    expect(seen.map((one) => [one.url, one.body, one.headers.authorization])).toEqual([
      ['/first', 'payload', 'Bearer t'],
      ['/second', 'payload', 'Bearer t'],
    ]);
    expect(other.seen.map((one) => [one.url, one.body, one.headers.authorization])).toEqual([
      ['/third', 'payload', undefined],
    ]);
  });

  it('hands an answer whose body stalls to read, whose body read fails with the timeout', async () => {
    // The provider answered 200 (it may have taken the message): the adapter must see that,
    // not a "no answer" it would retry.
    const { base } = await listen((_, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"messages":');
    });
    let status = 0;
    const failure = await callWithTimeout(
      base,
      { method: 'POST', body: '{}' },
      { ...options, timeoutMs: 50 },
      async (response) => {
        status = response.status;
        return response.json();
      },
    ).catch((error: unknown) => error);
    expect(status).toBe(200);
    expect(failure).toMatchObject({ name: 'TimeoutError' });
  });

  it('stops when the caller’s signal aborts, with the signal’s reason', async () => {
    const controller = new AbortController();
    const reason = new DeliveryError('stopped waiting', { category: 'provider', provider: 'x' });
    const { base, seen } = await listen(() => controller.abort(reason));
    const call = callWithTimeout(
      base,
      { method: 'POST', body: '{}' },
      { ...options, signal: controller.signal },
      text,
    );
    await expect(call).rejects.toBe(reason);
    expect(seen).toHaveLength(1);
  });

  it('turns a refused connection into a retryable DeliveryError', async () => {
    const { base } = await listen(() => {});
    const closed = servers.pop() as Server;
    await new Promise((resolve) => closed.close(resolve));
    await expect(
      callWithTimeout(base, { method: 'POST', body: '{}' }, options, text),
    ).rejects.toMatchObject({
      retryable: true,
      message: expect.stringMatching(/^Example API call failed: .*ECONNREFUSED/),
    });
  });

  it('says when the request has left, before its answer is read', async () => {
    const order: string[] = [];
    const { base } = await listen((_, response) => {
      order.push('arrived');
      response.end('ok');
    });
    await callWithTimeout(
      base,
      { method: 'POST', body: '{}' },
      { ...options, onSent: () => order.push('sent') },
      async (response) => {
        order.push('read');
        return response.text();
      },
    );
    expect(order).toEqual(['sent', 'arrived', 'read']);
  });

  it('leaves reads and streamed bodies to fetch', async () => {
    const { base, seen } = await listen((_, response) => response.end('ok'));
    await callWithTimeout(`${base}/media`, {}, options, text);
    await callWithTimeout(`${base}/send`, { method: 'POST', body: '{}' }, options, text);
    // undici's fetch names itself; node:http sends no user-agent of its own.
    expect(seen.map((one) => [one.url, one.headers['user-agent']])).toEqual([
      ['/media', 'node'],
      ['/send', undefined],
    ]);
  });
});
