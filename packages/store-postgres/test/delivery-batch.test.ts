import type { NewDelivery } from '@threadline/core';
import { createFakeClock } from '@threadline/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore, type PostgresStore } from '../src/index';
import { adminPool, closeAdminPool, dropSchema, uniqueName } from './support/schemas';
import { DATABASE_URL, serverReachable } from './support/server';

const PHONE_A = '+447700900001';

/**
 * `deliveries.createMany` on a server, checked through the database rather than through the
 * store: a batch that fails inside PostgreSQL leaves no row of any member behind, and batches
 * from two instances racing onto one thread leave its seqs without gap or repeat.
 */
describe.runIf(serverReachable)('deliveries.createMany on a PostgreSQL server', () => {
  const schema = uniqueName('batch');
  const clock = createFakeClock();
  const stores: PostgresStore[] = [];
  const open = () => {
    const store = createPostgresStore({ connectionString: DATABASE_URL, schema, clock });
    stores.push(store);
    return store;
  };
  const sql = async (text: string) => (await adminPool().query(text)).rows;
  const table = (name: string) => `"${schema}"."threadline_${name}"`;

  let store: PostgresStore;
  let threadId: string;
  let userId: string;

  beforeAll(async () => {
    store = open();
    await store.migrate();
    const { user } = await store.identities.resolve({
      channel: 'sms',
      address: PHONE_A,
      kind: 'phone',
    });
    userId = user.id;
    threadId = (await store.threads.ensure({ userId, agentId: 'support' })).id;
  });

  afterAll(async () => {
    await Promise.all(stores.map((opened) => opened.close()));
    await dropSchema(schema);
    await closeAdminPool();
  });

  const input = (text: string, overrides: Partial<NewDelivery> = {}): NewDelivery => ({
    channel: 'sms',
    adapterId: 'sms-main',
    recipient: PHONE_A,
    payload: { text },
    origin: 'send',
    userId,
    threadId,
    nextAttemptAt: clock.date(),
    threadEntry: { direction: 'outbound', at: clock.date(), text, channel: 'sms' },
    ...overrides,
  });

  async function counts() {
    const [row] = await sql(`SELECT
      (SELECT count(*)::int FROM ${table('deliveries')}) AS deliveries,
      (SELECT count(*)::int FROM ${table('delivery_events')}) AS events,
      (SELECT count(*)::int FROM ${table('entries')}) AS entries,
      (SELECT last_seq::int FROM ${table('threads')} WHERE id = '${threadId}') AS last_seq`);
    return row;
  }

  it('a batch that fails inside the database writes no member, no event, no entry, no seq', async () => {
    await store.deliveries.createMany?.([input('before')]);
    const before = await counts();
    // A fault only the database sees, on the third member's entry: the statement fails mid-way,
    // after the deliveries, their events and the thread's seq were already written by it.
    await sql(`CREATE FUNCTION "${schema}".refuse_boom() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.text = 'boom' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$`);
    await sql(`CREATE TRIGGER refuse_boom BEFORE INSERT ON ${table('entries')}
      FOR EACH ROW EXECUTE FUNCTION "${schema}".refuse_boom()`);
    try {
      await expect(
        store.deliveries.createMany?.([
          input('one', { idempotencyKey: 'boom-1' }),
          input('two'),
          input('boom'),
          input('four', { threadEntry: undefined, threadId: undefined }),
        ]),
      ).rejects.toMatchObject({ category: 'store' });
    } finally {
      await sql(`DROP TRIGGER refuse_boom ON ${table('entries')}`);
    }
    expect(await counts()).toEqual(before);
    expect(await store.deliveries.getByIdempotencyKey('boom-1')).toBeNull();
    // The same batch goes through once the fault is gone, its entries right after the old ones.
    const retried = await store.deliveries.createMany?.([
      input('one', { idempotencyKey: 'boom-1' }),
    ]);
    expect(retried?.[0]).toMatchObject({ ok: true, value: { created: true, entry: { seq: 2 } } });
  });

  it('batches from two instances onto one thread leave seqs without gap or repeat', async () => {
    const other = open();
    const start = (await counts())?.last_seq as number;
    const batch = (target: PostgresStore, label: string) =>
      target.deliveries.createMany?.(
        Array.from({ length: 10 }, (_, index) =>
          input(`${label}-${index}`, index % 5 === 0 ? { idempotencyKey: `race-${index}` } : {}),
        ),
      );
    const results = await Promise.all([
      batch(store, 'a'),
      batch(other, 'b'),
      batch(store, 'c'),
      batch(other, 'd'),
    ]);
    const outcomes = results.flatMap((result) => result ?? []);
    expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
    // The two keys were created once each, whichever batch came first.
    const created = outcomes.filter((outcome) => outcome.ok && outcome.value.created);
    expect(created).toHaveLength(4 * 8 + 2);
    const seqs = await sql(
      `SELECT seq::int FROM ${table('entries')} WHERE thread_id = '${threadId}' AND seq > ${start} ORDER BY seq`,
    );
    expect(seqs.map((row) => row.seq)).toEqual(
      Array.from({ length: created.length }, (_, index) => start + index + 1),
    );
    const [{ last_seq: lastSeq } = {}] = await sql(
      `SELECT last_seq::int FROM ${table('threads')} WHERE id = '${threadId}'`,
    );
    expect(lastSeq).toBe(start + created.length);
  });
});
