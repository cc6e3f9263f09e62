import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createThreadline, type ThreadStore } from '@threadline/core';
import { createMemoryStore } from '@threadline/store-memory';
import { createPostgresStore } from '@threadline/store-postgres';
import { createWhatsAppCloudAdapter } from '@threadline/whatsapp-cloud';
import { serveCommands } from '../child';
import { ACCESS_TOKEN, APP_SECRET, PHONE_NUMBER_ID } from '../fixtures/whatsapp';
import { DATABASE_URL } from '../pg';

/**
 * B1's server, one per child process: `bare` (the baseline: check the HMAC, parse the JSON, 200)
 * or Threadline with the WhatsApp adapter on the `memory` or `postgres` store, behind
 * `threadline.toNodeHandler()` on `node:http`. No `onMessage`: the run measures the inbound
 * pipeline (signature, parse, dedupe, identity, thread append), not an agent.
 *
 * argv: `<bare|memory|postgres> [schema]`.
 */

const [mode, schema] = process.argv.slice(2);

/** The baseline: what any hand-written WhatsApp webhook must do at the least. */
function bareHandler(): RequestListener {
  const key = Buffer.from(APP_SECRET);
  return (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks);
      const header = String(request.headers['x-hub-signature-256'] ?? '');
      const expected = createHmac('sha256', key).update(raw).digest();
      const given = Buffer.from(header.slice('sha256='.length), 'hex');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        response.writeHead(401).end();
        return;
      }
      JSON.parse(raw.toString('utf8'));
      response.writeHead(200).end();
    });
  };
}

let received = 0;
let store: ThreadStore | undefined;
let handler: RequestListener;
if (mode === 'bare') {
  handler = bareHandler();
} else {
  store =
    mode === 'postgres'
      ? createPostgresStore({
          connectionString: DATABASE_URL,
          schema,
          applicationName: 'threadline-bench',
        })
      : createMemoryStore();
  const threadline = createThreadline({
    store,
    adapters: [
      createWhatsAppCloudAdapter({
        phoneNumberId: PHONE_NUMBER_ID,
        accessToken: ACCESS_TOKEN,
        appSecret: APP_SECRET,
        verifyToken: 'bench-verify-token',
        // Never called in B1 (nothing is sent); a closed port makes a stray send fail loudly.
        baseUrl: 'http://127.0.0.1:9',
      }),
    ],
    onError: (error) => console.error('B1 server:', error),
  });
  threadline.on('message.received', () => {
    received += 1;
  });
  await threadline.start();
  handler = threadline.toNodeHandler();
}

const server = createServer(handler);
server.keepAliveTimeout = 60_000;
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

serveCommands(
  { port: (server.address() as AddressInfo).port },
  {
    /** Messages recorded to threads (Threadline modes), to check the run did real work. */
    received: () => received,
  },
);
