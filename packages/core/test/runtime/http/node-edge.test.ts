import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMemoryStore } from '@threadline/store-memory';
import { createTestAdapter } from '@threadline/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import type { WebhookContext } from '../../../src/index';
import { createThreadline } from '../../../src/index';

/** A test adapter whose webhook handler records what the core handed it. */
function recordingAdapter() {
  const adapter = createTestAdapter({ id: 'rec' });
  const seen: { body: string; rawBody: string | undefined; url: string }[] = [];
  const handleWebhook = async (request: Request, context: WebhookContext) => {
    seen.push({
      body: await request.text(),
      rawBody: context.rawBody && new TextDecoder().decode(context.rawBody),
      url: request.url,
    });
    return new Response('ok', { status: 202, headers: { 'x-seen': String(seen.length) } });
  };
  return { adapter: { ...adapter, handleWebhook }, seen };
}

async function serve(listener: RequestListener) {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

describe('the node:http edge', () => {
  const closers: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  async function start(maxBodyBytes = 1_024) {
    const { adapter, seen } = recordingAdapter();
    const threadline = createThreadline({
      store: createMemoryStore(),
      adapters: [adapter],
      webhooks: { maxBodyBytes },
    });
    await threadline.start();
    closers.push(() => threadline.stop());
    const server = await serve(threadline.toNodeHandler());
    closers.push(server.close);
    return { threadline, seen, base: server.base };
  }

  it('hands the adapter the raw bytes both as the request body and as rawBody', async () => {
    const { seen, base } = await start();
    const body = '{"exact":"bytes", "spacing" :  kept}';
    const response = await fetch(`${base}/webhooks/rec?x=1`, { method: 'POST', body });
    expect(response.status).toBe(202);
    expect(response.headers.get('x-seen')).toBe('1');
    expect(await response.text()).toBe('ok');
    expect(seen).toEqual([{ body, rawBody: body, url: `${base}/webhooks/rec?x=1` }]);
  });

  it('answers 413 to a chunked body past the cap without calling the adapter', async () => {
    const { seen, base } = await start(1_024);
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 4; i += 1) controller.enqueue(new Uint8Array(600));
        controller.close();
      },
    });
    const response = await fetch(`${base}/webhooks/rec`, {
      method: 'POST',
      body: chunks,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: 'payload_too_large' });
    expect(seen).toHaveLength(0);
  });

  it('answers 413 from Content-Length before reading, and 404/405 before the adapter', async () => {
    const { seen, base } = await start(1_024);
    const big = await fetch(`${base}/webhooks/rec`, { method: 'POST', body: 'x'.repeat(2_000) });
    expect(big.status).toBe(413);
    expect((await fetch(`${base}/webhooks/other`, { method: 'POST', body: '{}' })).status).toBe(
      404,
    );
    const put = await fetch(`${base}/webhooks/rec`, { method: 'PUT', body: '{}' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, POST');
    expect(seen).toHaveLength(0);
  });

  it('uses rawBody left by a body parser that ran first (Express)', async () => {
    const { threadline, seen } = await start();
    const handler = threadline.toNodeHandler();
    const server = await serve((request, response) => {
      // What `express.json({ verify })` style parsers leave behind: the stream is consumed.
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        Object.assign(request, { rawBody: Buffer.concat(chunks), body: { parsed: true } });
        handler(request, response, () => {
          response.statusCode = 418;
          response.end();
        });
      });
    });
    closers.push(server.close);
    const response = await fetch(`${server.base}/webhooks/rec`, {
      method: 'POST',
      body: 'parsed-before',
    });
    expect(response.status).toBe(202);
    expect(seen[0]?.body).toBe('parsed-before');
    expect(seen[0]?.rawBody).toBe('parsed-before');
  });
});
