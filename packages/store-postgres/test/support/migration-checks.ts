import { createFakeClock } from '@threadline/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import type { PostgresStore } from '../../src/index';
import { initialSchema } from '../../src/migrations/001-initial';
import { createNames } from '../../src/names';
import type { Engine } from './database-checks';
import { uniqueName } from './schemas';

/**
 * Migrations applied to a database already in use: the schema as an earlier release left it, with
 * rows that release wrote, then `migrate()` from this one. Shared by the server and PGlite files.
 */
export function describeMigrationChecks(engine: Engine): void {
  describe(`${engine.name}: migrating a database in use`, () => {
    const opened: Array<{ store: PostgresStore; schema: string }> = [];
    afterEach(async () => {
      for (const { store, schema } of opened.splice(0)) {
        await store.close();
        await engine.sql(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      }
    });

    /** A schema at version 1 (as 0.x left it), with one delivery it completed. */
    async function atVersionOne() {
      const schema = uniqueName('upgrade');
      const n = createNames(schema, 'threadline_');
      const clock = createFakeClock();
      const store = engine.open({ schema, migrate: false, clock });
      opened.push({ store, schema });
      await engine.exec(`CREATE SCHEMA "${schema}";
        CREATE TABLE ${n.migrations} (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL);
        ${initialSchema(n)}`);
      await engine.sql(`INSERT INTO ${n.migrations} VALUES (1, 'initial', now())`);
      await engine.sql(
        `INSERT INTO ${n.deliveries} (id, channel, adapter_id, recipient, payload, origin, status,
           provider_message_id, created_at, updated_at)
         VALUES ('old-1', 'sms', 'sms-main', '+447700900001', '{}', 'send', 'sent', 'SM-old', now(), now())`,
      );
      return { store, n, clock };
    }

    it('002 adds the ids of split messages; deliveries completed before it are still found by their id', async () => {
      const { store, n, clock } = await atVersionOne();
      expect(await store.migrate()).toEqual({ applied: [2, 3, 4], version: 4 });

      const old = await store.deliveries.findByProviderMessageId({
        adapterId: 'sms-main',
        providerMessageId: 'SM-old',
      });
      expect(old).toMatchObject({ id: 'old-1', providerMessageId: 'SM-old', status: 'sent' });
      expect(old).not.toHaveProperty('providerMessageIds');

      const { delivery } = await store.deliveries.create({
        channel: 'sms',
        adapterId: 'sms-main',
        recipient: '+447700900001',
        payload: { text: 'a long text' },
        origin: 'send',
        nextAttemptAt: clock.date(),
        lease: { owner: 'a', ms: 30_000 },
      });
      const ids = ['SM-1', 'SM-2', 'SM-3'];
      await store.deliveries.complete(delivery.id, {
        owner: 'a',
        providerMessageId: 'SM-1',
        providerMessageIds: ids,
        status: 'accepted',
        at: clock.date(),
      });
      expect(
        await engine.sql(
          `SELECT id, provider_message_id, provider_message_ids FROM ${n.deliveries} ORDER BY ord`,
        ),
      ).toEqual([
        { id: 'old-1', provider_message_id: 'SM-old', provider_message_ids: null },
        { id: delivery.id, provider_message_id: 'SM-1', provider_message_ids: ids },
      ]);
      const third = await store.deliveries.findByProviderMessageId({
        adapterId: 'sms-main',
        providerMessageId: 'SM-3',
      });
      expect(third).toMatchObject({ id: delivery.id, providerMessageIds: ids });
    });
  });
}
