import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './harness';

const ANN = '+447700900123';
const message = (id: string) => ({
  events: [{ type: 'message' as const, id, from: ANN, text: 'over http' }],
});

describe('the webhook HTTP edge', () => {
  let h: Harness;
  afterEach(async () => {
    await h.threadline.stop();
  });

  it('routes a signed webhook to its adapter with the raw body intact', async () => {
    h = await createHarness();
    const response = await h.threadline.fetch(h.channels.whatsapp.signedRequest(message('a')));
    await h.threadline.idle();
    expect(response.status).toBe(200);
    expect(h.turns[0]?.message.text).toBe('over http');
  });

  it('answers 401 to a forged webhook and records nothing', async () => {
    h = await createHarness();
    const signed = h.channels.whatsapp.signedRequest(message('b'));
    const forged = new Request(signed.url, {
      method: 'POST',
      headers: signed.headers,
      body: JSON.stringify(message('c')),
    });
    const response = await h.threadline.fetch(forged);
    await h.threadline.idle();
    expect(response.status).toBe(401);
    expect(h.turns).toHaveLength(0);
  });

  it('answers 404 for an unknown adapter and 413 for an oversized body', async () => {
    h = await createHarness({ webhooks: { maxBodyBytes: 1_024 } });
    const unknown = await h.threadline.fetch(
      new Request('http://x/webhooks/nope', { method: 'POST', body: '{}' }),
    );
    expect(unknown.status).toBe(404);
    const big = h.channels.whatsapp.signedRequest({
      events: [{ type: 'message', id: 'big', from: ANN, text: 'x'.repeat(2_000) }],
    });
    expect((await h.threadline.fetch(big)).status).toBe(413);
    const chunked = new Request(h.channels.whatsapp.webhookUrl, {
      method: 'POST',
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(new Uint8Array(800));
          controller.enqueue(new Uint8Array(800));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect((await h.threadline.fetch(chunked)).status).toBe(413);
  });

  it('serves the same routes through node:http', async () => {
    h = await createHarness();
    const server = createServer(h.threadline.toNodeHandler());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const signed = h.channels.whatsapp.signedRequest(message('d'), {
        url: `http://127.0.0.1:${port}/webhooks/wa`,
      });
      const response = await fetch(signed.url, {
        method: 'POST',
        headers: signed.headers,
        body: await signed.text(),
      });
      await h.threadline.idle();
      expect(response.status).toBe(200);
      expect(h.turns[0]?.message.text).toBe('over http');
      const missing = await fetch(`http://127.0.0.1:${port}/webhooks/none`, {
        method: 'POST',
        body: '{}',
      });
      expect(missing.status).toBe(404);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('passes other paths to the next Express-style middleware', async () => {
    h = await createHarness();
    const handler = h.threadline.toNodeHandler();
    const server = createServer((req, res) =>
      handler(req, res, () => {
        res.statusCode = 418;
        res.end('next');
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/health`);
      expect(response.status).toBe(418);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
