import type { Threadline } from '@threadline/core';
import Fastify, { type FastifyInstance } from 'fastify';

/**
 * Fastify parses JSON bodies before any route runs. Register the webhook routes in their own
 * plugin scope with a content-type parser that keeps the bytes as a Buffer, put them on
 * `request.raw.rawBody`, and hand the raw Node request and response to Threadline.
 */
export function createFastifyApp(threadline: Threadline): FastifyInstance {
  const app = Fastify();
  const handler = threadline.toNodeHandler();
  app.register(async (webhooks) => {
    webhooks.removeAllContentTypeParsers();
    webhooks.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => {
      done(null, body);
    });
    webhooks.all('/webhooks/:adapterId', (request, reply) => {
      Object.assign(request.raw, { rawBody: request.body });
      reply.hijack(); // Threadline writes the response itself
      handler(request.raw, reply.raw);
    });
  });
  app.get('/health', async () => ({ ok: true }));
  return app;
}

/** The trap: Fastify's own JSON parser read the body. Threadline answers 500 naming the fix. */
export function createMisconfiguredFastifyApp(threadline: Threadline): FastifyInstance {
  const app = Fastify();
  const handler = threadline.toNodeHandler();
  app.post('/webhooks/:adapterId', (request, reply) => {
    reply.hijack();
    handler(request.raw, reply.raw);
  });
  return app;
}
