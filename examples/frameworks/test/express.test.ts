import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createExpressApp,
  createExpressRawApp,
  createMisconfiguredExpressApp,
} from '../src/express';
import { createExampleApp, type ExampleApp } from '../src/threadline';
import { signedWebhook } from './signed';

describe('Express', () => {
  let server: Server | undefined;
  let example: ExampleApp | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await example?.threadline.stop();
  });

  async function listen(app: { listen: (port: number, host: string, cb: () => void) => Server }) {
    const listening = await new Promise<Server>((resolve) => {
      const started: Server = app.listen(0, '127.0.0.1', () => resolve(started));
    });
    server = listening;
    return `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
  }

  it('verifies the signature after express.json() when verify keeps req.rawBody', async () => {
    example = await createExampleApp();
    const base = await listen(createExpressApp(example.threadline));
    const { body, headers } = await signedWebhook(example.channel, 'hello from express', 'e-1');
    const response = await fetch(`${base}/webhooks/chat`, { method: 'POST', body, headers });
    expect(response.status).toBe(200);
    await example.threadline.idle();
    expect(example.heard).toEqual(['hello from express']);
    expect((await fetch(`${base}/health`)).status).toBe(200);
  });

  it('verifies the signature with express.raw() on the webhook path', async () => {
    example = await createExampleApp();
    const base = await listen(createExpressRawApp(example.threadline));
    const { body, headers } = await signedWebhook(example.channel, 'raw body', 'e-2');
    const response = await fetch(`${base}/webhooks/chat`, { method: 'POST', body, headers });
    expect(response.status).toBe(200);
    await example.threadline.idle();
    expect(example.heard).toEqual(['raw body']);
  });

  it('names the fix when express.json() read the body and kept nothing', async () => {
    example = await createExampleApp();
    const base = await listen(createMisconfiguredExpressApp(example.threadline));
    const { body, headers } = await signedWebhook(example.channel, 'lost?', 'e-3');
    const response = await fetch(`${base}/webhooks/chat`, { method: 'POST', body, headers });
    expect(response.status).toBe(500);
    const answer = (await response.json()) as { error: string; message: string };
    expect(answer.error).toBe('BodyConsumedError');
    expect(answer.message).toMatch(/request.body is a parsed object.*express.json\(\{ verify/);
    expect(example.heard).toEqual([]);
  });
});
