import { createFakeClock } from '@threadline/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresStore } from '../src/index';
import { adminPool, closeAdminPool, dropSchema, uniqueName } from './support/schemas';
import { DATABASE_URL, serverReachable } from './support/server';

const PHONE_A = '+447700900001';

/**
 * `inbound.record` with `turn`: the turn is inserted by the same statement as `record_inbound`.
 * Here the database refuses the turn (a CHECK constraint the test adds), after the claim, the
 * touch and the append ran: all of it must roll back, so the provider's retry is recorded.
 */
describe.runIf(serverReachable)('inbound.record failing on its turn', () => {
  const schema = uniqueName('turnroll');
  afterAll(async () => {
    await dropSchema(schema);
    await closeAdminPool();
  });

  it('leaves no claim, no entry and no turn behind; the retry records with its turn', async () => {
    const clock = createFakeClock();
    const store = createPostgresStore({ connectionString: DATABASE_URL, schema, clock });
    try {
      await store.migrate();
      await adminPool().query(
        `ALTER TABLE "${schema}".threadline_turns ADD CONSTRAINT refuse_poison CHECK (adapter_id <> 'poison')`,
      );
      const input = (adapterId: string) => ({
        claimKey: 'inbound:wa:wamid.1',
        claimTtlMs: 600_000,
        sender: { channel: 'whatsapp', address: PHONE_A, kind: 'phone' as const },
        adapterId,
        agentId: 'support',
        entry: { direction: 'inbound' as const, at: clock.date(), text: 'hi', channel: 'whatsapp' },
        turn: { owner: 'instance-a', leaseMs: 60_000 },
      });

      await expect(store.inbound.record(input('poison'))).rejects.toMatchObject({
        category: 'store',
      });
      expect(await store.identities.get({ channel: 'whatsapp', address: PHONE_A })).toBeNull();
      clock.advance(60_001);
      expect(await store.turns.claimDue({ owner: 'probe', limit: 10, leaseMs: 60_000 })).toEqual(
        [],
      );

      const retry = await store.inbound.record(input('wa'));
      if (retry.duplicate) throw new Error('the retry was taken for a duplicate');
      expect(retry.entry.seq).toBe(1);
      expect(retry.turn).toMatchObject({ threadId: retry.thread.id, seq: 1, attempts: 1 });
    } finally {
      await store.close();
    }
  });
});
