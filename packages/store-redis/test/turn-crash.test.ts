import { createClient } from '@redis/client';
import type { InboundRecorded, InboundRecordInput, PendingTurn } from '@threadline/core';
import { afterAll, describe, expect, it } from 'vitest';
import type { RedisStore } from '../src/index';
import { createInstances } from './support/instances';
import { REDIS_URL, serverReachable } from './support/server';

// `inbound.record` with a turn, when the recording instance dies (or stalls) between its three
// round trips: the intent in `{tn}`, the record in the user's slot, the bind. Instance A talks
// through a proxy that counts round trips and cuts or holds the connection after the n-th;
// instance B shares the Redis and the clock, and takes over with `turns.claimDue`.

const TTL = 600_000;
const LEASE = 60_000;
const PHONE = '+447700900123';

describe.runIf(serverReachable)('durable turns of inbound.record on a Redis server', () => {
  const instances = createInstances('turn-crash');
  afterAll(() => instances.dispose());

  async function setup() {
    const { keyPrefix, clock, a, proxy, b, proxied } = await instances.next();
    const message = (id: string, owner = 'instance-a'): InboundRecordInput => ({
      claimKey: `inbound:wa:${id}`,
      claimTtlMs: TTL,
      sender: { channel: 'whatsapp', address: PHONE, kind: 'phone' },
      adapterId: 'wa',
      agentId: 'support',
      entry: { direction: 'inbound', at: clock.date(), text: `text of ${id}`, channel: 'whatsapp' },
      turn: { owner, leaseMs: LEASE },
    });
    // Every script loaded before anything is counted.
    const warm = recorded(await record(b, message('wamid.warm', 'instance-b')));
    await b.turns.complete(warm.turn?.id ?? '', 'instance-b');
    /** What a live instance finds once every lease has run out. */
    const takeOver = async (): Promise<PendingTurn[]> => {
      clock.advance(LEASE + 1);
      return b.turns.claimDue({ owner: 'instance-b', limit: 10, leaseMs: LEASE });
    };
    return { keyPrefix, clock, proxy, proxied, a, b, message, takeOver, thread: warm.thread };
  }

  function record(store: RedisStore, input: InboundRecordInput) {
    return (store.inbound as NonNullable<RedisStore['inbound']>).record(input);
  }

  function recorded(result: Awaited<ReturnType<typeof record>>): InboundRecorded {
    if (result.duplicate) throw new Error('expected a record, got a duplicate');
    return result;
  }

  it('a returning sender with a turn: 3 round trips, 5 commands (without a turn: 2 and 3)', async () => {
    const { keyPrefix, proxy, a, b, message } = await setup();
    await record(a, { ...message('wamid.0'), turn: undefined });
    const monitor = createClient({ url: REDIS_URL, RESP: 2 });
    await monitor.connect();
    const seen: string[] = [];
    await monitor.monitor((reply) => {
      const line = String(reply);
      // Commands a script runs show as `[0 lua]`: only what the client sent counts.
      if (line.includes(keyPrefix) && !line.includes(' lua]')) seen.push(line);
    });
    const measure = async (input: InboundRecordInput) => {
      seen.length = 0;
      proxy.reset();
      const result = recorded(await record(a, input));
      const trips = proxy.roundTrips();
      // MONITOR streams in execution order: a marker sent after the record shows it all.
      const marker = `marker:${input.claimKey}`;
      await b.dedupe.claim(marker, TTL);
      await expect.poll(() => seen.some((line) => line.includes(marker))).toBe(true);
      const commands = seen
        .filter((line) => !line.includes(marker))
        .map((line) => /\] "([A-Za-z]+)"/.exec(line)?.[1]?.toUpperCase());
      return { result, trips, commands: commands.sort() };
    };
    const withTurn = await measure(message('wamid.1'));
    const withoutTurn = await measure({ ...message('wamid.2'), turn: undefined });
    await monitor.close();

    expect(withTurn.trips).toBe(3);
    expect(withTurn.commands).toEqual(['EVALSHA', 'EVALSHA', 'EVALSHA', 'EVALSHA', 'GET']);
    expect(withTurn.result.turn).toMatchObject({ seq: withTurn.result.entry.seq, attempts: 1 });
    expect(withoutTurn.trips).toBe(2);
    expect(withoutTurn.commands).toEqual(['EVALSHA', 'EVALSHA', 'GET']);
    expect(withoutTurn.result.turn).toBeUndefined();
  });

  it('dies after the intent (step 1): nothing recorded, no turn; the retry records with its turn', async () => {
    const { proxy, a, b, message, takeOver, thread } = await setup();
    proxy.cutAfter(1);
    await expect(record(a, message('wamid.1'))).rejects.toThrow();
    expect(await takeOver()).toEqual([]);
    expect(await b.threads.read(thread.id)).toHaveLength(1);

    const retry = recorded(await record(b, message('wamid.1', 'instance-b')));
    expect(retry.entry.seq).toBe(2);
    const [turn, ...rest] = await takeOver();
    expect(rest).toEqual([]);
    expect(turn).toMatchObject({ id: retry.turn?.id, threadId: thread.id, seq: 2, attempts: 2 });
  });

  it('dies after the record (step 2): a live instance binds the intent and runs the turn', async () => {
    const { clock, proxy, proxied, a, b, message, takeOver, thread } = await setup();
    proxy.cutAfter(2);
    // The bind is cut: the message is recorded, so the call answers (the turn is the intent).
    const result = recorded(await record(a, message('wamid.1')));
    expect(result.turn).toMatchObject({ seq: 2, attempts: 1, lease: { owner: 'instance-a' } });

    // Instance B takes over through a proxy that counts: the claim script, then per intent the
    // address lookup, the recorded-turn lookup in the user's slot and the bind.
    const observed = await proxied();
    clock.advance(LEASE + 1);
    observed.proxy.reset();
    const [turn, ...rest] = await observed.store.turns.claimDue({
      owner: 'instance-b',
      limit: 10,
      leaseMs: LEASE,
    });
    expect(observed.proxy.roundTrips()).toBe(4);
    expect(rest).toEqual([]);
    expect(turn).toMatchObject({
      id: result.turn?.id,
      threadId: thread.id,
      seq: 2,
      userId: result.user.id,
      adapterId: 'wa',
      channel: 'whatsapp',
      address: PHONE,
      attempts: 2,
      lease: { owner: 'instance-b' },
    });
    // The provider's retry is a duplicate: the turn above is the message's only one.
    expect(await record(b, message('wamid.1', 'instance-b'))).toEqual({ duplicate: true });
    expect(await takeOver()).toMatchObject([{ id: turn?.id, attempts: 3 }]);
  });

  it('dies after the bind (step 3): the turn is taken over with the next attempt', async () => {
    const { proxy, a, message, takeOver } = await setup();
    proxy.cutAfter(3);
    const result = recorded(await record(a, message('wamid.1')));
    expect(await takeOver()).toMatchObject([{ id: result.turn?.id, seq: 2, attempts: 2 }]);
  });

  it('stalls before the record while its intent is dropped: the record still gets its turn', async () => {
    const { proxy, a, message, takeOver } = await setup();
    const pause = proxy.pauseAfter(1);
    const pending = record(a, message('wamid.1'));
    await pause.held;
    // The intent's lease ran out and nothing was recorded: it is dropped.
    expect(await takeOver()).toEqual([]);
    pause.resume();
    const result = recorded(await pending);
    expect(result.turn).toMatchObject({ seq: 2, attempts: 1, lease: { owner: 'instance-a' } });
    expect(await takeOver()).toMatchObject([{ id: result.turn?.id, attempts: 2 }]);
  });

  it("stalls before the bind while another instance binds it: one turn, the taker's", async () => {
    const { proxy, a, message, takeOver } = await setup();
    const pause = proxy.pauseAfter(2);
    const pending = record(a, message('wamid.1'));
    await pause.held;
    const [taken, ...rest] = await takeOver();
    expect(rest).toEqual([]);
    expect(taken).toMatchObject({ seq: 2, attempts: 2, lease: { owner: 'instance-b' } });
    pause.resume();
    const result = recorded(await pending);
    expect(result.turn).toEqual(taken);
    expect(await takeOver()).toMatchObject([{ id: taken?.id, attempts: 3 }]);
  });

  it('a turn answered unbound (its bind cut) is renewed and completed through its intent', async () => {
    const { proxy, a, b, message, takeOver } = await setup();
    proxy.cutAfter(2);
    const result = recorded(await record(a, message('wamid.1')));
    const id = result.turn?.id ?? '';
    // What A's runtime does with the turn it was answered: renew it, run it, complete it.
    expect(await b.turns.get(id)).toBeNull();
    expect(await b.turns.renew(id, { owner: 'instance-a', leaseMs: LEASE })).toBe(true);
    expect(await b.turns.renew(id, { owner: 'instance-b', leaseMs: LEASE })).toBe(false);
    expect(await b.turns.complete(id, 'instance-b')).toBe(false);
    expect(await b.turns.complete(id, 'instance-a')).toBe(true);
    // It ran: no live instance runs it again.
    expect(await takeOver()).toEqual([]);
  });
});
