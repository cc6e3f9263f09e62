import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One webhook the fake app received, with its signature checked the way an adapter must. */
export interface ReceivedWebhook {
  raw: string;
  // biome-ignore lint/suspicious/noExplicitAny: webhook bodies are inspected ad hoc in assertions
  body: any;
  signatureValid: boolean;
  /** What the app answered. */
  answered: number;
}

/**
 * A tiny stand-in for the host app's `/webhooks/whatsapp` endpoint: verifies X-Hub-Signature-256
 * over the raw body in constant time, answers Meta's hub.challenge, and can be told to fail.
 */
export async function startApp(options: { appSecret: string; verifyToken?: string }) {
  const received: ReceivedWebhook[] = [];
  const waiters: Array<() => void> = [];
  let failures = 0;

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://app');
    if (req.method === 'GET') {
      const ok =
        url.searchParams.get('hub.mode') === 'subscribe' &&
        url.searchParams.get('hub.verify_token') === options.verifyToken;
      res.writeHead(ok ? 200 : 403).end(ok ? (url.searchParams.get('hub.challenge') ?? '') : 'no');
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const expected = Buffer.from(
      `sha256=${createHmac('sha256', options.appSecret).update(raw).digest('hex')}`,
    );
    const given = Buffer.from(String(req.headers['x-hub-signature-256'] ?? ''));
    const signatureValid = given.length === expected.length && timingSafeEqual(given, expected);
    const answered = failures > 0 ? 500 : 200;
    if (failures > 0) failures -= 1;
    received.push({
      raw: raw.toString('utf8'),
      body: JSON.parse(raw.toString('utf8')),
      signatureValid,
      answered,
    });
    res.writeHead(answered).end();
    for (const wake of waiters.splice(0)) wake();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  /** Resolves once `count` webhooks matching `predicate` arrived (after retries, accepted or not). */
  async function waitFor(predicate: (webhook: ReceivedWebhook) => boolean, count = 1) {
    for (;;) {
      const matching = received.filter(predicate);
      if (matching.length >= count) return matching;
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  }

  return {
    webhookUrl: `http://127.0.0.1:${port}/webhooks/whatsapp`,
    received,
    waitFor,
    /** The next `n` webhooks get HTTP 500. */
    failNext(n: number) {
      failures = n;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The `value` of the first change of the first entry: where messages and statuses live. */
// biome-ignore lint/suspicious/noExplicitAny: see ReceivedWebhook.body
export function webhookValue(webhook: ReceivedWebhook | undefined): any {
  if (webhook === undefined) throw new Error('no webhook received');
  return webhook.body.entry[0].changes[0].value;
}

/** A clock the test moves by hand. */
export function manualClock(start = Date.UTC(2026, 0, 1)) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}
