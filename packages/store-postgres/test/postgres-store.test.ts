import { createFakeClock, waitFor } from '@threadline/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore } from '../src/index';
import { describeDatabaseChecks, type Engine } from './support/database-checks';
import { describeMigrationChecks } from './support/migration-checks';
import { closeAdminPool, dropSchema, uniqueName } from './support/schemas';
import { DATABASE_URL, serverReachable } from './support/server';
import { describeTurnRowChecks } from './support/turn-row-checks';

describe.runIf(serverReachable)('on a PostgreSQL server', () => {
  // One connection for the checks, so a SET (enable_seqscan) applies to the EXPLAIN after it.
  const client = new pg.Client({
    connectionString: DATABASE_URL,
    application_name: 'tl_test_checks',
  });
  beforeAll(() => client.connect());
  afterAll(async () => {
    await client.end();
    await closeAdminPool();
  });

  const engine: Engine = {
    name: 'server',
    open: (options) =>
      createPostgresStore({ connectionString: DATABASE_URL, poolSize: 4, ...options }),
    sql: async (text, params) => (await client.query(text, params)).rows,
    exec: async (text) => {
      await client.query(text);
    },
  };
  describeDatabaseChecks(engine);
  describeMigrationChecks(engine);
  describeTurnRowChecks(engine);

  it('claimDue skips a row another connection has locked, without waiting for it', async () => {
    const schema = uniqueName('skip');
    const clock = createFakeClock();
    const store = createPostgresStore({ connectionString: DATABASE_URL, schema, clock });
    try {
      const created = [];
      for (let index = 0; index < 3; index += 1) {
        const { delivery } = await store.deliveries.create({
          channel: 'sms',
          adapterId: 'sms-main',
          recipient: '+447700900001',
          payload: { n: index },
          origin: 'send',
          nextAttemptAt: new Date(clock.now() - (3 - index) * 1_000),
        });
        created.push(delivery.id);
      }
      // Another instance is in the middle of claiming the oldest: its row lock is held.
      await client.query('BEGIN');
      await client.query(
        `SELECT id FROM "${schema}".threadline_deliveries WHERE id = $1 FOR UPDATE`,
        [created[0]],
      );
      const started = Date.now();
      const claimed = await store.deliveries.claimDue({ owner: 'b', limit: 10, leaseMs: 30_000 });
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(claimed.map((delivery) => delivery.id)).toEqual(created.slice(1));
      await client.query('ROLLBACK');
      // Once the lock is gone the skipped one is claimable again.
      const rest = await store.deliveries.claimDue({ owner: 'c', limit: 10, leaseMs: 30_000 });
      expect(rest.map((delivery) => delivery.id)).toEqual([created[0]]);
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      await store.close();
      await dropSchema(schema);
    }
  });

  it('two stores on one database reach each other through LISTEN/NOTIFY', async () => {
    const schema = uniqueName('fanout');
    const a = createPostgresStore({ connectionString: DATABASE_URL, schema });
    const b = createPostgresStore({ connectionString: DATABASE_URL, schema });
    const other = createPostgresStore({ connectionString: DATABASE_URL, schema: `${schema}_x` });
    try {
      const received: unknown[] = [];
      const overheard: unknown[] = [];
      await a.pubsub.subscribe('thread:1', (message) => received.push(message));
      await other.pubsub.subscribe('thread:1', (message) => overheard.push(message));
      await b.pubsub.publish('thread:1', { from: 'b' });
      await waitFor(() => received.length > 0, 'the message from the other store');
      expect(received).toEqual([{ from: 'b' }]);
      // A store in another schema has its own channel and hears nothing.
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(overheard).toEqual([]);
    } finally {
      await Promise.all([a.close(), b.close(), other.close()]);
      await dropSchema(schema);
      await dropSchema(`${schema}_x`);
    }
  });
});
