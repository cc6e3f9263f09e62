import type { Threadline } from '@threadline/core';
import express, { type Express } from 'express';

/**
 * Express with `express.json()` for the rest of the app. Its `verify` hook keeps the raw bytes on
 * `req.rawBody`, which Threadline uses to check the provider's signature. (Alternatives: mount
 * `threadline.toNodeHandler()` before any parser, or `express.raw({ type: '*\/*' })` on the path.)
 */
export function createExpressApp(threadline: Threadline): Express {
  const app = express();
  app.use(
    express.json({
      verify: (req, _res, buf) => {
        (req as typeof req & { rawBody?: Buffer }).rawBody = buf;
      },
    }),
  );
  app.get('/health', (_req, res) => {
    res.json({ ok: true });
  });
  app.use(threadline.toNodeHandler()); // only /webhooks/* is handled; the rest falls through
  return app;
}

/** `express.raw()` on the webhook path only: `req.body` is the Buffer Threadline needs. */
export function createExpressRawApp(threadline: Threadline): Express {
  const app = express();
  app.use('/webhooks', express.raw({ type: '*/*', limit: '1mb' }), threadline.toNodeHandler());
  app.use(express.json());
  return app;
}

/** The trap: a parser that keeps nothing. Threadline answers with a BodyConsumedError naming the fix. */
export function createMisconfiguredExpressApp(threadline: Threadline): Express {
  const app = express();
  app.use(express.json());
  app.use(threadline.toNodeHandler());
  app.use(
    (error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(500).json({ error: error.name, message: error.message });
    },
  );
  return app;
}
