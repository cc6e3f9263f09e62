import { createMemoryStore } from '@threadline/store-memory';
import { createFakeClock } from '@threadline/testkit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type AgentTurn, DeadTurnError, type ThreadStore } from '../../src/index';
import { createHarness, type Harness } from './harness';

const ANN = '+447700900123';
/** The default `inbound.turnLeaseMs`. */
const LEASE_MS = 60_000;
/** Real milliseconds between polls: the fake clock decides what is due. */
const FAST_POLL = { turnPollIntervalMs: 10 };

/** The memory store, whose `leases.acquire` always throws: no turn ever reaches the agent. */
function leasesDown(store: ThreadStore): ThreadStore {
  const leases = Object.create(store.leases) as ThreadStore['leases'];
  leases.acquire = () => Promise.reject(new Error('connection refused'));
  return Object.assign(Object.create(store) as ThreadStore, { leases });
}

/**
 * The memory store, whose read of a thread's first entry (`after: 0`) answers last: as a pool of
 * connections answers the reads of turns claimed together, in any order.
 */
function firstEntryReadSlow(store: ThreadStore): ThreadStore {
  const threads = Object.create(store.threads) as ThreadStore['threads'];
  threads.read = async (threadId, options) => {
    if (options !== undefined && 'after' in options && options.after === 0) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return store.threads.read(threadId, options);
  };
  return Object.assign(Object.create(store) as ThreadStore, { threads });
}

describe('durable agent turns', () => {
  const started: Harness[] = [];
  afterEach(async () => {
    for (const h of started.splice(0)) await h.threadline.stop();
  });

  it('a turn whose instance died is taken over by another instance, with attempt 2', async () => {
    const clock = createFakeClock();
    const store = createMemoryStore({ clock });
    let releaseFirst = () => {};
    const first: AgentTurn[] = [];
    const a = await createHarness({
      clock,
      store,
      instanceId: 'instance-a',
      onMessage: (turn) => {
        first.push(turn);
        // The process dies here: the agent never returns, the turn is never completed.
        return new Promise<void>((resolve) => {
          releaseFirst = resolve;
        });
      },
    });
    const second: AgentTurn[] = [];
    const b = await createHarness({
      clock,
      store,
      instanceId: 'instance-b',
      inbound: FAST_POLL,
      onMessage: (turn) => {
        second.push(turn);
      },
    });
    started.push(b);

    await a.channels.whatsapp.receive({ from: ANN, text: 'are you there?', id: 'wamid.1' });
    await vi.waitFor(() => expect(first).toHaveLength(1));
    expect(first[0]?.attempt).toBe(1);

    clock.advance(LEASE_MS + 1);
    await vi.waitFor(() => expect(second).toHaveLength(1));
    const [turn] = second;
    expect(turn?.attempt).toBe(2);
    expect(turn?.message).toMatchObject({
      text: 'are you there?',
      seq: 1,
      channel: 'whatsapp',
      adapterId: 'wa',
      providerMessageId: 'wamid.1',
      from: { address: ANN },
    });
    await turn?.reply('yes');
    expect(b.channels.whatsapp.sent.map((sent) => sent.envelope.text)).toEqual(['yes']);
    await b.threadline.idle();
    expect(await store.turns.claimDue({ owner: 'probe', limit: 10, leaseMs: LEASE_MS })).toEqual(
      [],
    );

    releaseFirst();
    await a.threadline.stop();
    expect(second).toHaveLength(1);
  });

  it('turns taken over together run in arrival order, however their reads finish', async () => {
    const clock = createFakeClock();
    const store = createMemoryStore({ clock });
    let revive = () => {};
    const dead = new Promise<void>((resolve) => {
      revive = resolve;
    });
    const a = await createHarness({
      clock,
      store,
      instanceId: 'instance-a',
      // The process dies in its first turn: the later two wait behind it, never run.
      onMessage: () => dead,
    });
    const taken: string[] = [];
    const b = await createHarness({
      clock,
      store: firstEntryReadSlow(store),
      instanceId: 'instance-b',
      inbound: FAST_POLL,
      onMessage: ({ message }) => {
        taken.push(message.text);
      },
    });
    started.push(b);
    for (const [i, text] of ['one', 'two', 'three'].entries()) {
      await a.channels.whatsapp.receive({ from: ANN, text, id: `wamid.${i}` });
    }

    clock.advance(LEASE_MS + 1);
    await vi.waitFor(() => expect(taken).toHaveLength(3));
    expect(taken).toEqual(['one', 'two', 'three']);

    revive();
    await a.threadline.stop();
  });

  it('an agent that throws is reported once and its turn is not run again', async () => {
    const clock = createFakeClock();
    const store = createMemoryStore({ clock });
    let calls = 0;
    const h = await createHarness({
      clock,
      store,
      inbound: FAST_POLL,
      onMessage: () => {
        calls += 1;
        throw new Error('model unavailable');
      },
    });
    started.push(h);
    await h.channels.whatsapp.receive({ from: ANN, text: 'hi' });
    await h.threadline.idle();
    clock.advance(LEASE_MS + 1);

    expect(await store.turns.claimDue({ owner: 'probe', limit: 10, leaseMs: LEASE_MS })).toEqual(
      [],
    );
    expect(calls).toBe(1);
    expect(h.errors.map((error) => (error as Error).message)).toEqual(['model unavailable']);
  });

  it('a turn that never reaches the agent is tried inbound.maxTurnAttempts times, then reported dead', async () => {
    const clock = createFakeClock();
    const store = leasesDown(createMemoryStore({ clock }));
    let calls = 0;
    const h = await createHarness({
      clock,
      store,
      inbound: { ...FAST_POLL, maxTurnAttempts: 2 },
      onMessage: () => {
        calls += 1;
      },
    });
    started.push(h);
    await h.channels.whatsapp.receive({ from: ANN, text: 'hello?' });
    await h.threadline.idle();
    expect(h.errors).toHaveLength(1);

    clock.advance(LEASE_MS + 1);
    await vi.waitFor(() => expect(h.errors).toHaveLength(2));
    clock.advance(LEASE_MS + 1);
    await vi.waitFor(() => expect(h.errors).toHaveLength(3));
    await h.threadline.idle();

    const dead = h.errors[2];
    expect(dead).toBeInstanceOf(DeadTurnError);
    expect(dead).toMatchObject({ code: 'turn_attempts_exhausted', attempts: 2, seq: 1 });
    expect(calls).toBe(0);
    clock.advance(LEASE_MS + 1);
    expect(await store.turns?.claimDue({ owner: 'probe', limit: 10, leaseMs: LEASE_MS })).toEqual(
      [],
    );
  });
});
