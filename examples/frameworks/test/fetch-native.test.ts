import { afterEach, describe, expect, it } from 'vitest';
import { createHonoApp, createHonoAppReadingFirst } from '../src/hono';
import { createRouteHandlers } from '../src/next-route';
import { createExampleApp, type ExampleApp } from '../src/threadline';
import { signedWebhook } from './signed';

describe('fetch-native frameworks', () => {
  let example: ExampleApp | undefined;
  afterEach(async () => {
    await example?.threadline.stop();
  });

  it('Hono: passes the untouched request to threadline.fetch', async () => {
    example = await createExampleApp();
    const app = createHonoApp(example.threadline);
    const { request } = await signedWebhook(example.channel, 'hello from hono', 'h-1');
    const response = await app.fetch(request);
    expect(response.status).toBe(200);
    await example.threadline.idle();
    expect(example.heard).toEqual(['hello from hono']);
  });

  it('Hono: a handler that read the body first passes it as rawBody', async () => {
    example = await createExampleApp();
    const app = createHonoAppReadingFirst(example.threadline);
    const { request } = await signedWebhook(example.channel, 'read first', 'h-2');
    expect((await app.fetch(request)).status).toBe(200);
    await example.threadline.idle();
    expect(example.heard).toEqual(['read first']);
  });

  // Tested as the plain `(request: Request) => Response` functions a route.ts exports; Next.js
  // itself is not installed (its App Router passes a standard Request to these functions).
  it('Next.js App Router: the route handlers answer a signed webhook', async () => {
    example = await createExampleApp();
    const pending: Promise<unknown>[] = [];
    const { POST } = createRouteHandlers(example.threadline, {
      waitUntil: (work) => pending.push(work),
    });
    const { request } = await signedWebhook(example.channel, 'hello from next', 'n-1');
    expect((await POST(request)).status).toBe(200);
    await Promise.all(pending);
    await example.threadline.idle();
    expect(example.heard).toEqual(['hello from next']);
  });

  it('says what to do when the route read the request before Threadline', async () => {
    example = await createExampleApp();
    const { request } = await signedWebhook(example.channel, 'lost?', 'n-2');
    await request.json();
    const response = await example.threadline.fetch(request);
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({
      error: 'body_consumed',
      message: expect.stringMatching(/threadline.fetch\(request, \{ rawBody \}\)/),
    });
    expect(example.heard).toEqual([]);
  });
});
