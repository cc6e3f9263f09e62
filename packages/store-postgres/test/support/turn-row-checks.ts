import { createFakeClock, newPendingTurn } from '@threadline/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import type { PostgresStore } from '../../src/index';
import type { Engine } from './database-checks';
import { uniqueName } from './schemas';

const MINUTE = 60_000;
const ANN = '+447700900001';
const ANN_WORK = '+447700900002';

/**
 * The `turns` rows under a merge and an erasure, read in SQL: the conformance suite reads back
 * through the store, which could hide a row the store no longer looks at but still keeps.
 */
export function describeTurnRowChecks(engine: Engine): void {
  describe(`${engine.name}: turn rows under merge and erasure, checked in SQL`, () => {
    const opened: Array<{ store: PostgresStore; schema: string }> = [];
    afterEach(async () => {
      for (const { store, schema } of opened.splice(0)) {
        await store.close();
        await engine.sql(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      }
    });

    it('a merge points each turn row at its entry’s new place and user; erasure deletes them all', async () => {
      const schema = uniqueName('turnrows');
      const clock = createFakeClock();
      const store = engine.open({ clock, schema });
      opened.push({ store, schema });
      const table = (name: string) => `"${schema}"."threadline_${name}"`;
      const t0 = clock.now();
      /** An inbound message on WhatsApp from `phone` at `minutes`, and its turn. */
      async function received(phone: string, minutes: number, text: string): Promise<string> {
        const { user } = await store.identities.resolve({
          channel: 'whatsapp',
          address: phone,
          kind: 'phone',
        });
        const thread = await store.threads.ensure({ userId: user.id, agentId: 'support' });
        const at = new Date(t0 + minutes * MINUTE);
        const entry = await store.threads.append(thread.id, { direction: 'inbound', at, text });
        await store.turns.enqueue(
          newPendingTurn({ threadId: thread.id, seq: entry.seq, userId: user.id, address: phone }),
        );
        return user.id;
      }
      const into = await received(ANN, 2, 'later');
      // Earlier than `into`'s message: after the merge it is seq 1, and `into`'s becomes seq 2.
      const from = await received(ANN_WORK, 1, 'earlier');

      await store.users.merge({ into, from });

      const rows = () =>
        engine.sql(
          `SELECT e.text, t.seq::int AS seq, t.user_id, t.address FROM ${table('turns')} t
           JOIN ${table('entries')} e ON e.thread_id = t.thread_id AND e.seq = t.seq
           ORDER BY t.seq`,
        );
      expect(await rows()).toEqual([
        { text: 'earlier', seq: 1, user_id: into, address: ANN_WORK },
        { text: 'later', seq: 2, user_id: into, address: ANN },
      ]);
      expect(await engine.sql(`SELECT count(*)::int AS n FROM ${table('turns')}`)).toEqual([
        { n: 2 },
      ]);

      expect(await store.privacy.eraseUser(into)).toMatchObject({ turns: 2 });
      expect(
        await engine.sql(
          `SELECT count(*)::int AS n FROM ${table('turns')}
           WHERE user_id = ANY($1::text[]) OR address = ANY($2::text[])`,
          [
            [into, from],
            [ANN, ANN_WORK],
          ],
        ),
      ).toEqual([{ n: 0 }]);
    });
  });
}
