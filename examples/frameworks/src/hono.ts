import type { Threadline } from '@threadline/core';
import { Hono } from 'hono';

/** Hono is fetch-native: hand it the untouched Web `Request`. */
export function createHonoApp(threadline: Threadline): Hono {
  const app = new Hono();
  app.get('/health', (c) => c.json({ ok: true }));
  app.all('/webhooks/*', (c) => threadline.fetch(c.req.raw));
  return app;
}

/**
 * When a middleware must read the body first (logging, a gateway check), pass the bytes it read:
 * `threadline.fetch(request, { rawBody })`. Hono caches the body, so reading it again is free.
 */
export function createHonoAppReadingFirst(threadline: Threadline): Hono {
  const app = new Hono();
  app.post('/webhooks/*', async (c) => {
    const rawBody = await c.req.arrayBuffer();
    return threadline.fetch(c.req.raw, { rawBody });
  });
  return app;
}
