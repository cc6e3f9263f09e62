import { afterEach, describe, expect, it } from 'vitest';
import { createFastifyApp, createMisconfiguredFastifyApp } from '../src/fastify';
import { createExampleApp, type ExampleApp } from '../src/threadline';
import { signedWebhook } from './signed';

describe('Fastify', () => {
  let example: ExampleApp | undefined;
  let close: (() => Promise<unknown>) | undefined;
  afterEach(async () => {
    await close?.();
    await example?.threadline.stop();
  });

  it('verifies the signature with a buffer content-type parser and request.raw.rawBody', async () => {
    example = await createExampleApp();
    const app = createFastifyApp(example.threadline);
    close = () => app.close();
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const { body, headers } = await signedWebhook(example.channel, 'hello from fastify', 'f-1');
    const response = await fetch(`${base}/webhooks/chat`, { method: 'POST', body, headers });
    expect(response.status).toBe(200);
    await example.threadline.idle();
    expect(example.heard).toEqual(['hello from fastify']);
    expect((await fetch(`${base}/health`)).status).toBe(200);
  });

  it('answers 500 naming the fix when Fastify’s JSON parser consumed the body', async () => {
    example = await createExampleApp();
    const app = createMisconfiguredFastifyApp(example.threadline);
    close = () => app.close();
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const { body, headers } = await signedWebhook(example.channel, 'lost?', 'f-2');
    const response = await fetch(`${base}/webhooks/chat`, { method: 'POST', body, headers });
    expect(response.status).toBe(500);
    const answer = (await response.json()) as { error: string; message: string };
    expect(answer.error).toBe('body_consumed');
    expect(answer.message).toMatch(/addContentTypeParser/);
    expect(example.heard).toEqual([]);
  });
});
