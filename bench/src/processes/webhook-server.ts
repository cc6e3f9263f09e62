import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createThreadline, type ThreadStore } from '@threadline/core';
import { createMemoryStore } from '@threadline/store-memory';
import { createPostgresStore } from '@threadline/store-postgres';
import { createWhatsAppCloudAdapter } from '@threadline/whatsapp-cloud';
import pg from 'pg';
import { serveCommands } from '../child';
import { ACCESS_TOKEN, APP_SECRET, PHONE_NUMBER_ID } from '../fixtures/whatsapp';
import { DATABASE_URL } from '../pg';
import { countStatements } from '../statements';

/**
 * B1's server, one per child process: `bare` (the baseline: check the HMAC, parse the JSON, 200),
 * `bare-pg` (the PostgreSQL baseline: the same, plus one `INSERT` of the parsed message on a `pg`
 * pool of {@link POOL_SIZE}), or Threadline with the WhatsApp adapter on the `memory` or
 * `postgres` store (a pool of the same size), behind `threadline.toNodeHandler()` on `node:http`.
 * No `onMessage`: the run measures the inbound pipeline (signature, parse, dedupe, identity,
 * thread append), not an agent.
 *
 * argv: `<bare|bare-pg|memory|postgres> [schema]`.
 */

const [mode, schema] = process.argv.slice(2);

/**
 * Connections to PostgreSQL, for the store and for the `bare-pg` baseline alike: the baseline's
 * throughput is bounded by its pool, so Threadline's must be judged on the same one (the store's
 * default, node-postgres's too).
 */
const POOL_SIZE = 10;

/**
 * Statements sent to PostgreSQL by this process (BEGIN and COMMIT included): counted at the
 * driver, so the figure is what the server sees, whoever issued it.
 */
const statements = countStatements();
/** Messages recorded (Threadline's `message.received`, or the baseline's inserts). */
let received = 0;

/** The part of Meta's payload the `bare-pg` baseline stores. */
interface WhatsAppPayload {
  entry: {
    changes: {
      value: {
        messages?: { id: string; from: string; timestamp: string; text?: { body: string } }[];
      };
    }[];
  }[];
}

/**
 * The PostgreSQL baseline's write: one `INSERT` per message into a table of the run's fresh schema
 * (keyed by the provider's id, as any webhook that must not store a retry twice would be).
 */
async function bareInsert(): Promise<(payload: unknown) => Promise<void>> {
  const pool = new pg.Pool({
    connectionString: DATABASE_URL,
    max: POOL_SIZE,
    application_name: 'threadline-bench',
  });
  const table = `${schema}.messages`;
  await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  await pool.query(
    `CREATE TABLE ${table} (id text PRIMARY KEY, sender text NOT NULL, at timestamptz NOT NULL, text text)`,
  );
  return async (payload) => {
    for (const entry of (payload as WhatsAppPayload).entry) {
      for (const change of entry.changes) {
        for (const message of change.value.messages ?? []) {
          await pool.query(`INSERT INTO ${table} (id, sender, at, text) VALUES ($1, $2, $3, $4)`, [
            message.id,
            message.from,
            new Date(Number(message.timestamp) * 1000),
            message.text?.body ?? null,
          ]);
          received += 1;
        }
      }
    }
  };
}

/**
 * The baseline: what any hand-written WhatsApp webhook must do at the least, and with `write`,
 * store the message before answering (a failed write answers 500, so the provider retries).
 */
function bareHandler(write?: (payload: unknown) => Promise<void>): RequestListener {
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
      const payload: unknown = JSON.parse(raw.toString('utf8'));
      if (write === undefined) {
        response.writeHead(200).end();
        return;
      }
      write(payload).then(
        () => response.writeHead(200).end(),
        (error: unknown) => {
          console.error('B1 bare-pg server:', error);
          response.writeHead(500).end();
        },
      );
    });
  };
}

let store: ThreadStore | undefined;
let handler: RequestListener;
if (mode === 'bare') {
  handler = bareHandler();
} else if (mode === 'bare-pg') {
  handler = bareHandler(await bareInsert());
} else {
  store =
    mode === 'postgres'
      ? createPostgresStore({
          connectionString: DATABASE_URL,
          schema,
          poolSize: POOL_SIZE,
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
    // `B1_GROUP_COMMIT_MAX=1` turns inbound group commit off: the A/B of the same code.
    ...(process.env.B1_GROUP_COMMIT_MAX === undefined
      ? {}
      : { inbound: { groupCommitMax: Number(process.env.B1_GROUP_COMMIT_MAX) } }),
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
    /** Messages recorded (to threads, or the baseline's table), to check the run did real work. */
    received: () => received,
    /** Statements sent to PostgreSQL so far, and messages recorded, to divide one by the other. */
    statements: () => ({ statements: statements.read(), received }),
  },
);
