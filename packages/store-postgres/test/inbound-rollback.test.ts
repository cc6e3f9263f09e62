import { createFakeClock } from '@threadline/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresStore } from '../src/index';
import { closeAdminPool, dropSchema, uniqueName } from './support/schemas';
import { DATABASE_URL, serverReachable } from './support/server';

const PHONE_A = '+447700900001';

/**
 * `inbound.record` fails inside the database (PostgreSQL text cannot hold U+0000, see
 * https://www.postgresql.org/docs/current/datatype-character.html), after the claim and the touch
 * ran in the same function call: the whole call must roll back.
 */
describe.runIf(serverReachable)('inbound.record failing inside the database', () => {
  const schema = uniqueName('rollback');
  afterAll(async () => {
    await dropSchema(schema);
    await closeAdminPool();
  });

  it('leaves no claim, no lastInboundAt change, no entry and no dead letter behind', async () => {
    const clock = createFakeClock();
    const store = createPostgresStore({ connectionString: DATABASE_URL, schema, clock });
    try {
      const input = (id: string, text: string) => ({
        claimKey: `inbound:wa:${id}`,
        claimTtlMs: 600_000,
        sender: { channel: 'whatsapp', address: PHONE_A, kind: 'phone' as const },
        adapterId: 'wa',
        agentId: 'support',
        entry: { direction: 'inbound' as const, at: clock.date(), text, channel: 'whatsapp' },
      });
      const first = await store.inbound.record(input('wamid.1', 'hello'));
      if (first.duplicate) throw new Error('expected a record');
      clock.advance(60_000);

      await expect(store.inbound.record(input('wamid.2', 'bad\u0000byte'))).rejects.toMatchObject({
        category: 'store',
      });
      const identity = await store.identities.get({ channel: 'whatsapp', address: PHONE_A });
      expect(identity?.lastInboundAt).toEqual(first.identity.lastInboundAt);
      expect(await store.threads.read(first.thread.id)).toEqual([first.entry]);
      expect(await store.dedupe.claim('inbound:wa:wamid.2', 600_000)).toBe(true);
    } finally {
      await store.close();
    }
  });
});
