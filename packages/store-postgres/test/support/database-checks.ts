import { canAdvanceStatus, DELIVERY_STATUSES, type JsonValue } from '@threadline/core';
import { createFakeClock, newDelivery, waitFor } from '@threadline/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import type { PostgresStore, PostgresStoreOptions } from '../../src/index';
import { uniqueName } from './schemas';

/** Runs SQL outside the store and returns the rows: how these tests check what was written. */
export type Sql = (text: string, params?: unknown[]) => Promise<Array<Record<string, unknown>>>;

/** How a test file gives the shared checks a store and a way into the database. */
export interface Engine {
  name: string;
  /** A store on the engine, with the given schema and options (connection added by the file). */
  open(
    options: Omit<PostgresStoreOptions, 'connectionString' | 'pool' | 'pglite' | 'dataDir'>,
  ): PostgresStore;
  sql: Sql;
  /** Runs SQL of several statements (a migration's), outside the store. */
  exec(text: string): Promise<void>;
}

const DAY = 24 * 60 * 60_000;

/**
 * "Write through the plugin, check through the database": checks that read the rows, constraints
 * and indexes the store wrote, shared by the server and PGlite test files.
 */
export function describeDatabaseChecks(engine: Engine): void {
  describe(`${engine.name}: what the store writes, checked in SQL`, () => {
    const opened: Array<{ store: PostgresStore; schema: string }> = [];
    afterEach(async () => {
      for (const { store, schema } of opened.splice(0)) {
        await store.close();
        await engine.sql(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      }
    });
    function fresh(options: Parameters<Engine['open']>[0] = {}) {
      const schema = options.schema ?? uniqueName('checks');
      const clock = createFakeClock();
      const store = engine.open({ clock, ...options, schema });
      opened.push({ store, schema });
      return { store, schema, clock, table: (name: string) => `"${schema}"."threadline_${name}"` };
    }

    it('migrations run twice are a no-op, and the migrations table records each version once', async () => {
      const { store, table } = fresh({ migrate: false });
      expect(await store.migrate()).toEqual({ applied: [1, 2, 3, 4], version: 4 });
      const objects = `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = $1`;
      const [before] = await engine.sql(objects, [opened[0]?.schema]);
      expect(await store.migrate()).toEqual({ applied: [], version: 4 });
      expect(await engine.sql(objects, [opened[0]?.schema])).toEqual([before]);
      expect(
        await engine.sql(`SELECT version, name FROM ${table('migrations')} ORDER BY version`),
      ).toEqual([
        { version: 1, name: 'initial' },
        { version: 2, name: 'provider-message-ids' },
        { version: 3, name: 'inbound-record' },
        { version: 4, name: 'turns' },
      ]);
    });

    it('ten instances migrating one new schema at once apply each migration exactly once', async () => {
      const { schema, table } = fresh({ migrate: false });
      const instances = Array.from({ length: 10 }, () => fresh({ schema, migrate: false }).store);
      const reports = await Promise.all(instances.map((store) => store.migrate()));
      expect(reports.filter((report) => report.applied.length > 0)).toEqual([
        { applied: [1, 2, 3, 4], version: 4 },
      ]);
      expect(reports.every((report) => report.version === 4)).toBe(true);
      expect(await engine.sql(`SELECT count(*)::int AS n FROM ${table('migrations')}`)).toEqual([
        { n: 4 },
      ]);
    });

    it('puts every table in the configured schema with the configured prefix', async () => {
      const { store, schema } = fresh({ tablePrefix: 'chat_' });
      await store.users.create({});
      const rows = await engine.sql(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`,
        [schema],
      );
      expect(rows.map((row) => row.table_name)).toEqual(
        [
          'consent',
          'contacts',
          'dedupe',
          'deliveries',
          'delivery_events',
          'entries',
          'held',
          'identities',
          'inbound_failures',
          'jobs',
          'leases',
          'migrations',
          'pubsub_overflow',
          'threads',
          'turns',
          'users',
        ].map((name) => `chat_${name}`),
      );
    });

    it('stores the injected clock’s time, never the database’s', async () => {
      const { store, table, clock } = fresh();
      clock.set(Date.UTC(2031, 5, 1, 12));
      const user = await store.users.create({});
      expect(
        await engine.sql(`SELECT created_at FROM ${table('users')} WHERE id = $1`, [user.id]),
      ).toEqual([{ created_at: new Date(Date.UTC(2031, 5, 1, 12)) }]);
    });

    it('the dedupe key is unique in the table: a second row for a claimed key is refused', async () => {
      const { store, table, clock } = fresh();
      expect(await store.dedupe.claim('wamid.1', 60_000)).toBe(true);
      expect(await engine.sql(`SELECT key, expires_at FROM ${table('dedupe')}`)).toEqual([
        { key: 'wamid.1', expires_at: new Date(clock.now() + 60_000) },
      ]);
      await expect(
        engine.sql(`INSERT INTO ${table('dedupe')} (key, expires_at) VALUES ('wamid.1', now())`),
      ).rejects.toMatchObject({ code: '23505' });
    });

    it('entries are keyed by (thread_id, seq): numbers are dense and a repeated seq is refused', async () => {
      const { store, table, clock } = fresh();
      const user = await store.users.create({});
      const thread = await store.threads.ensure({ userId: user.id, agentId: 'support' });
      await Promise.all(
        Array.from({ length: 25 }, (_, index) =>
          store.threads.append(thread.id, {
            direction: 'inbound',
            at: clock.date(),
            text: `m${index}`,
          }),
        ),
      );
      const seqs = await engine.sql(`SELECT seq::int AS seq FROM ${table('entries')} ORDER BY seq`);
      expect(seqs.map((row) => row.seq)).toEqual(
        Array.from({ length: 25 }, (_, index) => index + 1),
      );
      expect(await engine.sql(`SELECT last_seq::int AS n FROM ${table('threads')}`)).toEqual([
        { n: 25 },
      ]);
      await expect(
        engine.sql(
          `INSERT INTO ${table('entries')} (thread_id, seq, direction, at, text) VALUES ($1, 7, 'inbound', now(), 'dup')`,
          [thread.id],
        ),
      ).rejects.toMatchObject({ code: '23505' });
    });

    it('the idempotency key is a unique constraint on deliveries', async () => {
      const { store, table, clock } = fresh();
      await store.deliveries.create(newDelivery(clock, { idempotencyKey: 'order-1' }));
      const constraints = await engine.sql(
        `SELECT conname FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'u'`,
        [table('deliveries')],
      );
      expect(constraints.map((row) => row.conname)).toEqual([
        'threadline_deliveries_idempotency_key',
      ]);
      const events = await engine.sql(`SELECT status, source FROM ${table('delivery_events')}`);
      expect(events).toEqual([{ status: 'queued', source: 'dispatcher' }]);
    });

    it('the SQL status rule agrees with canAdvanceStatus on every pair of statuses', async () => {
      const { store, schema } = fresh();
      await store.migrate();
      const rows = await engine.sql(
        `SELECT a AS current, b AS next, "${schema}".threadline_can_advance_status(a, b) AS ok
         FROM unnest($1::text[]) a CROSS JOIN unnest($1::text[]) b`,
        [[...DELIVERY_STATUSES]],
      );
      expect(rows).toHaveLength(49);
      for (const row of rows) {
        const expected = canAdvanceStatus(row.current as never, row.next as never);
        expect({ ...row, ok: row.ok === true }).toEqual({ ...row, ok: expected });
      }
    });

    it('the hot paths can use their indexes', async () => {
      const { store, table } = fresh();
      await store.migrate();
      const plans: Record<string, string> = {
        threadline_entries_pkey: `SELECT * FROM ${table('entries')} WHERE thread_id = 't' ORDER BY seq DESC LIMIT 50`,
        threadline_deliveries_due_idx: `SELECT id FROM ${table('deliveries')} WHERE status = 'queued' AND next_attempt_at <= now() ORDER BY next_attempt_at, ord LIMIT 10`,
        threadline_identities_pkey: `SELECT * FROM ${table('identities')} WHERE channel = 'sms' AND address = '+1'`,
        threadline_deliveries_provider_id_idx: `SELECT id FROM ${table('deliveries')} WHERE adapter_id = 'a' AND provider_message_id = 'p'`,
        threadline_deliveries_part_ids_idx: `SELECT id FROM ${table('deliveries')} WHERE adapter_id = 'a' AND provider_message_ids @> ARRAY['p']`,
        threadline_contacts_pkey: `SELECT user_id FROM ${table('contacts')} WHERE kind = 'phone' AND value = '+1'`,
      };
      // Empty tables are cheapest to scan whole; turning that off shows whether an index serves.
      await engine.sql('SET enable_seqscan = off');
      try {
        for (const [index, query] of Object.entries(plans)) {
          const plan = await engine.sql(`EXPLAIN ${query}`);
          expect(plan.map((row) => Object.values(row)[0]).join('\n')).toContain(index);
        }
      } finally {
        await engine.sql('SET enable_seqscan = on');
      }
    });

    it('cleanup deletes expired dedupe keys and leases, and delivery history past the retention', async () => {
      const { store, table, clock } = fresh({ retention: { deliveryEventsDays: 7 } });
      await store.dedupe.claim('old', 60_000);
      await store.leases.acquire({ key: 'turn', owner: 'a', ttlMs: 60_000 });
      const { delivery: sent } = await store.deliveries.create(newDelivery(clock));
      await store.deliveries.updateStatus(sent.id, {
        status: 'sent',
        at: clock.date(),
        source: 'provider',
      });
      clock.advance(8 * DAY);
      await store.dedupe.claim('fresh', 60_000);
      await store.deliveries.updateStatus(sent.id, {
        status: 'delivered',
        at: clock.date(),
        source: 'provider',
      });
      const { delivery: quiet } = await store.deliveries.create(newDelivery(clock));
      clock.advance(DAY);

      expect(await store.cleanup()).toEqual({
        dedupeKeys: 2,
        leases: 1,
        deliveryEvents: 2,
        pubsubMessages: 0,
      });
      expect(await engine.sql(`SELECT key FROM ${table('dedupe')}`)).toEqual([]);
      // The delivered step is the latest of its delivery; queued and sent were older than 7 days.
      const kept = await store.deliveries.get(sent.id);
      expect(kept?.status).toBe('delivered');
      expect(kept?.events.map((event) => event.status)).toEqual(['delivered']);
      expect((await store.deliveries.get(quiet.id))?.events.map((event) => event.status)).toEqual([
        'queued',
      ]);
      expect(await store.cleanup()).toEqual({
        dedupeKeys: 0,
        leases: 0,
        deliveryEvents: 0,
        pubsubMessages: 0,
      });
    });

    it('a message too large for NOTIFY arrives whole through the overflow table', async () => {
      const { store, table, clock } = fresh();
      const big = { text: 'x'.repeat(20_000), parts: [{ n: 1 }] };
      const received: JsonValue[] = [];
      await store.pubsub.subscribe('thread:big', (message) => received.push(message));
      await store.pubsub.publish('thread:big', big);
      await store.pubsub.publish('thread:big', 'small after big');
      await waitFor(() => received.length === 2, 'both messages');
      expect(received).toEqual([big, 'small after big']);
      expect(
        await engine.sql(`SELECT count(*)::int AS n FROM ${table('pubsub_overflow')}`),
      ).toEqual([{ n: 1 }]);
      clock.advance(60 * 60_000 + 1);
      expect((await store.cleanup()).pubsubMessages).toBe(1);
    });
  });
}
