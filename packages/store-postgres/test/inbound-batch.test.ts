import type { InboundRecordInput, InboundRecordResult } from '@threadline/core';
import { createFakeClock, inboundInput } from '@threadline/testkit';
import { describe, expect, it } from 'vitest';
import { createPostgresStore } from '../src/index';
import { serverReachable } from './support/server';
import { countedPool } from './support/statements';

const PHONE_A = '+447700900011';
const PHONE_B = '+447700900012';
const PHONE_C = '+447700900013';

/**
 * `inbound.recordMany` on a server, counted at the driver and checked through the database: a
 * batch is one statement whatever its mix, and a batch one member spoils inside PostgreSQL is
 * never half-recorded: the statement wrote nothing, then each member is recorded on its own.
 */
describe.runIf(serverReachable)('inbound.recordMany on a PostgreSQL server', () => {
  const { pool, schema, statements } = countedPool('inbatch');
  const clock = createFakeClock();
  const store = () => createPostgresStore({ pool, schema, migrate: false, clock });
  const table = (name: string) => `"${schema}"."threadline_${name}"`;
  const sql = async (text: string, params: unknown[] = []) => (await pool.query(text, params)).rows;
  const message = (id: string, address: string, text = `text of ${id}`) =>
    inboundInput(clock, id, { address, text });

  async function recordMany(inputs: InboundRecordInput[]) {
    const many = store().inbound?.recordMany;
    if (many === undefined) throw new Error('inbound.recordMany is missing');
    statements.length = 0;
    const outcomes = await many(inputs);
    return { outcomes, sent: statements.splice(0) };
  }

  const results = (outcomes: { ok: boolean; value?: InboundRecordResult }[]) =>
    outcomes.map((outcome) => (outcome.ok ? outcome.value : 'failed'));

  it('records first contacts, returning senders and repeats in one statement', async () => {
    const { outcomes, sent } = await recordMany([
      message('b1.1', PHONE_A),
      message('b1.2', PHONE_B),
      message('b1.3', PHONE_A),
      message('b1.1', PHONE_A, 'a provider retry'),
    ]);
    expect(sent, sent.join('\n---\n')).toHaveLength(1);
    const [first, other, second, repeat] = results(outcomes);
    expect(first).toMatchObject({ duplicate: false, created: true, entry: { seq: 1 } });
    expect(other).toMatchObject({ duplicate: false, created: true, entry: { seq: 1 } });
    expect(second).toMatchObject({ duplicate: false, created: false, entry: { seq: 2 } });
    expect(repeat).toEqual({ duplicate: true });
    const rows = await sql(
      `SELECT e.text, e.seq::int AS seq FROM ${table('entries')} e JOIN ${table('threads')} t ON t.id = e.thread_id
       JOIN ${table('identities')} i ON i.user_id = t.user_id WHERE i.address = $1 ORDER BY e.seq`,
      [PHONE_A],
    );
    expect(rows).toEqual([
      { text: 'text of b1.1', seq: 1 },
      { text: 'text of b1.3', seq: 2 },
    ]);
  });

  it('a member PostgreSQL refuses fails alone; the others are recorded on their own, none twice', async () => {
    // NUL passes every check in JavaScript and is refused by PostgreSQL's text type: it spoils
    // the batch statement, which then leaves nothing behind.
    const { outcomes, sent } = await recordMany([
      message('b2.1', PHONE_C),
      message('b2.2', PHONE_C, 'bad \u0000 text'),
      message('b2.3', PHONE_C),
    ]);
    // The batch, then one record each.
    expect(sent).toHaveLength(4);
    const [first, bad, last] = outcomes;
    expect(first).toMatchObject({ ok: true, value: { entry: { seq: 1 } } });
    expect(bad?.ok).toBe(false);
    expect(last).toMatchObject({ ok: true, value: { entry: { seq: 2 } } });
    const entries = await sql(
      `SELECT e.provider_message_id FROM ${table('entries')} e JOIN ${table('threads')} t ON t.id = e.thread_id
       JOIN ${table('identities')} i ON i.user_id = t.user_id WHERE i.address = $1 ORDER BY e.seq`,
      [PHONE_C],
    );
    expect(entries.map((row) => row.provider_message_id)).toEqual(['b2.1', 'b2.3']);
    // The spoiled member's claim was not kept: the provider's retry records it.
    const claims = await sql(
      `SELECT key FROM ${table('dedupe')} WHERE key LIKE 'inbound:wa:b2.%' ORDER BY key`,
    );
    expect(claims.map((row) => row.key)).toEqual(['inbound:wa:b2.1', 'inbound:wa:b2.3']);
    expect(
      await sql(`SELECT count(*)::int AS n FROM ${table('identities')} WHERE address = $1`, [
        PHONE_C,
      ]),
    ).toEqual([{ n: 1 }]);
  });

  it('stores each member’s durable turn with it, in the same statement', async () => {
    const turn = { owner: 'instance-a', leaseMs: 60_000 };
    const inputs = ['b3.1', 'b3.2'].map((id) => ({ ...message(id, PHONE_B), turn }));
    const { outcomes, sent } = await recordMany([...inputs, message('b3.3', PHONE_A)]);
    expect(sent).toHaveLength(1);
    const [first, second, without] = results(outcomes);
    if (
      typeof first !== 'object' ||
      first.duplicate ||
      typeof second !== 'object' ||
      second.duplicate
    )
      throw new Error('expected both recorded');
    expect(first.turn).toMatchObject({
      threadId: first.thread.id,
      seq: first.entry.seq,
      attempts: 1,
    });
    expect(second.turn).toMatchObject({ threadId: second.thread.id, seq: second.entry.seq });
    expect(without).not.toHaveProperty('turn');
    const rows = await sql(
      `SELECT seq::int AS seq, lease_owner FROM ${table('turns')} WHERE thread_id = $1 ORDER BY seq`,
      [first.thread.id],
    );
    expect(rows).toEqual([
      { seq: first.entry.seq, lease_owner: 'instance-a' },
      { seq: second.entry.seq, lease_owner: 'instance-a' },
    ]);
  });

  it('two batches of the same senders in opposite orders queue rather than deadlock', async () => {
    const senders = Array.from(
      { length: 30 },
      (_, i) => `+4477009001${String(i).padStart(2, '0')}`,
    );
    const many = store().inbound?.recordMany;
    if (many === undefined) throw new Error('inbound.recordMany is missing');
    await many(senders.map((address, i) => message(`b4.first.${i}`, address)));
    for (let round = 0; round < 5; round++) {
      statements.length = 0;
      const forward = senders.map((address, i) => message(`b4.${round}.f${i}`, address));
      const backward = [...senders]
        .reverse()
        .map((address, i) => message(`b4.${round}.b${i}`, address));
      const outcomes = (await Promise.all([many(forward), many(backward)])).flat();
      expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
      // A deadlock would show as the losing batch replayed member by member (2 + 4 statements).
      expect(statements, statements.join('\n---\n')).toHaveLength(2);
    }
  });
});
