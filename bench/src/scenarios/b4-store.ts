import type { ThreadStore } from '@threadline/core';
import { createMemoryStore } from '@threadline/store-memory';
import { createPostgresStore } from '@threadline/store-postgres';
import { summarise, timeEach } from '../measure';
import { connectPostgres, DATABASE_URL } from '../pg';
import { atMost, type BenchRow } from '../report';
import { b4RedisRows } from './b4-redis';
import type { Scenario } from './scenario';

/** How the thread under test is filled before reads (a realistic, non-trivial thread). */
const PREFILL = 200;

/** Appends to and reads one thread of `store`, timing each call. */
export async function measureStore(store: ThreadStore, operations: number) {
  const { user } = await store.identities.resolve({
    channel: 'sms',
    address: '+447700900123',
    kind: 'phone',
  });
  const thread = await store.threads.ensure({ userId: user.id, agentId: 'bench' });
  const entry = (index: number) => ({
    direction: 'inbound' as const,
    at: new Date(),
    text: `message ${index} — a line of ordinary length for a chat message`,
    channel: 'sms',
  });
  for (let index = 0; index < PREFILL; index += 1)
    await store.threads.append(thread.id, entry(index));
  const append = summarise(
    await timeEach(operations, (index) => store.threads.append(thread.id, entry(index))),
  );
  const read = summarise(
    await timeEach(operations, () => store.threads.read(thread.id, { latest: 50 })),
  );
  return { append, read };
}

/**
 * B4: thread append, and read of the latest 50 entries. Baseline: a raw `pg` single-row INSERT and
 * a SELECT of 50 rows on the same server, which is the floor any PostgreSQL-backed store sits on.
 * Goal: p50 ≤ 2× the raw round trip. The Redis rows have their own baseline (see `b4-redis.ts`).
 */
export const b4: Scenario = {
  id: 'B4',
  title: 'thread append and latest-50 read',
  async run({ full, log, note }) {
    const operations = full ? 5_000 : 500;
    const redisRows = await b4RedisRows(operations, { log, note });
    const connection = await connectPostgres();
    if ('error' in connection) {
      log(
        `B4: PostgreSQL unreachable (${connection.error}); no raw pg baseline, memory and PostgreSQL rows skipped`,
      );
      return redisRows;
    }
    const { client } = connection;
    try {
      // A schema of its own, dropped afterwards, so the benchmark never touches other data. The raw
      // table is an ordinary (WAL-logged) table with the index a thread table needs: a TEMP table
      // skips the WAL and would make the baseline a strawman faster than any durable store.
      const schema = `bench_${process.pid}_${Date.now()}`;
      await client.query(`CREATE SCHEMA ${schema}`);
      await client.query(
        `CREATE TABLE ${schema}.bench_raw (id bigserial PRIMARY KEY, thread text, seq int, body text, at timestamptz)`,
      );
      await client.query(`CREATE INDEX ON ${schema}.bench_raw (thread, seq)`);
      const insert = summarise(
        await timeEach(operations, (index) =>
          client.query(
            `INSERT INTO ${schema}.bench_raw (thread, seq, body, at) VALUES ($1, $2, $3, now())`,
            ['t', index, `message ${index}`],
          ),
        ),
      );
      const select = summarise(
        await timeEach(operations, () =>
          client.query(
            `SELECT * FROM ${schema}.bench_raw WHERE thread = $1 ORDER BY seq DESC LIMIT 50`,
            ['t'],
          ),
        ),
      );
      const rows: BenchRow[] = [];
      const stores: Array<[string, () => Promise<ThreadStore>]> = [
        ['memory', async () => createMemoryStore()],
        [
          'postgres',
          async () =>
            createPostgresStore({
              connectionString: DATABASE_URL,
              schema,
              applicationName: 'threadline-bench',
            }),
        ],
      ];
      for (const [name, make] of stores) {
        const store = await make();
        const { append, read } = await measureStore(store, operations);
        await store.close();
        rows.push(
          atMost(
            {
              scenario: 'B4',
              figure: `${name}: append p50`,
              value: append.p50,
              unit: 'ms',
              baseline: 'raw pg INSERT p50',
              baselineValue: insert.p50,
            },
            2,
          ),
          atMost(
            {
              scenario: 'B4',
              figure: `${name}: read latest 50 p50`,
              value: read.p50,
              unit: 'ms',
              baseline: 'raw pg SELECT 50 p50',
              baselineValue: select.p50,
            },
            2,
          ),
        );
      }
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      return [...rows, ...redisRows];
    } finally {
      await client.end();
    }
  },
};
