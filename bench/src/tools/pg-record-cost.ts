import type { InboundRecordInput } from '@threadline/core';
import { createPostgresStore } from '@threadline/store-postgres';
import pg from 'pg';
import { DATABASE_URL, dropSchema, freshSchemaName } from '../pg';

/**
 * What one inbound record costs PostgreSQL, apart from HTTP and Node: on ONE connection, with no
 * concurrency, `inbound.recordMany` batches of `BATCH` returning senders or first contacts, beside
 * the `bare-pg` baseline's `INSERT` (one per statement, and `BATCH` rows per statement). Each
 * figure is wall time per message on that one connection, which on an otherwise idle database is
 * the server's execution time plus a share of one round trip. It says how many messages per
 * second the database itself can record per busy core, whatever the Node side does.
 *
 * `tsx --conditions=@threadline/source src/tools/pg-record-cost.ts [rounds=20]`
 */

const BATCH = 64;
const rounds = Number(process.argv[2] ?? 20);
const schema = freshSchemaName('cost');
const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
const store = createPostgresStore({ pool, schema });

async function timed(label: string, run: (round: number) => Promise<unknown>): Promise<void> {
  await run(-1); // warm-up: plans cached, pages in memory
  const started = performance.now();
  for (let round = 0; round < rounds; round += 1) await run(round);
  const perMessage = (performance.now() - started) / (rounds * BATCH);
  console.log(
    `${label}: ${(perMessage * 1000).toFixed(0)} µs per message (${(1000 / perMessage).toFixed(0)} per second on one connection)`,
  );
}

const phone = (i: number) => `+4477009${String(i).padStart(5, '0')}`;
let id = 0;
/** A WhatsApp text from the `sender`-th number, a new provider message each time. */
function message(sender: number): InboundRecordInput {
  id += 1;
  return {
    claimKey: `inbound:wa:cost.${id}`,
    claimTtlMs: 600_000,
    sender: { channel: 'whatsapp', address: phone(sender), kind: 'phone' },
    adapterId: 'wa',
    agentId: 'support',
    entry: {
      direction: 'inbound',
      at: new Date(),
      text: `hello ${id}`,
      channel: 'whatsapp',
      adapterId: 'wa',
      providerMessageId: `cost.${id}`,
    },
  };
}

try {
  await store.migrate();
  await pool.query(
    `CREATE TABLE ${schema}.messages (id text PRIMARY KEY, sender text NOT NULL, at timestamptz NOT NULL, text text)`,
  );
  const recordMany = store.inbound?.recordMany;
  if (recordMany === undefined) throw new Error('no recordMany');
  await timed('first contacts, recordMany of 64', (round) =>
    recordMany(Array.from({ length: BATCH }, (_, i) => message(1_000 + (round + 1) * BATCH + i))),
  );
  await timed('returning senders, recordMany of 64', () =>
    recordMany(Array.from({ length: BATCH }, (_, i) => message(i + 1))),
  );
  await timed('returning senders, record one by one', async () => {
    for (let i = 0; i < BATCH; i += 1) await store.inbound?.record(message(i + 1));
  });
  await timed('bare-pg INSERT, one by one', async (round) => {
    for (let i = 0; i < BATCH; i += 1)
      await pool.query(
        `INSERT INTO ${schema}.messages (id, sender, at, text) VALUES ($1, $2, $3, $4)`,
        [`bare.${round}.${i}`, phone(i), new Date(), 'hello'],
      );
  });
  await timed('bare-pg INSERT, 64 rows per statement', (round) =>
    pool.query(
      `INSERT INTO ${schema}.messages (id, sender, at, text) SELECT 'multi.' || g || '.' || $1, 'x', now(), 'hello' FROM generate_series(1, ${BATCH}) g`,
      [round],
    ),
  );
} finally {
  await store.close();
  await pool.end();
  await dropSchema(schema);
}
