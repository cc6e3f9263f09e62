import { createMemoryStore } from '@threadline/store-memory';
import { createFakeClock } from '@threadline/testkit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type AgentTurn, StoreError, type ThreadStore } from '../../src/index';
import { FIRST_TURN_LEASE_MS } from '../../src/runtime/inbound/durable-turns';
import { createHarness, type Harness } from './harness';

const ANN = '+447700900123';
/** The default `inbound.turnLeaseMs`: a blip must be got past long before it. */
const LEASE_MS = 60_000;
const FAST_POLL = { turnPollIntervalMs: 10 };

/** What a cut connection looks like to the runtime (the PostgreSQL and Redis stores throw this). */
const blip = (operation: string) =>
  new StoreError(`${operation} failed, the database was unreachable (ECONNRESET); try again`, {
    code: 'store_unavailable',
    retryable: true,
  });

/** The memory store whose `leases.acquire` throws a retryable blip the first `failures` times. */
function acquireBlips(store: ThreadStore, failures: number): ThreadStore {
  let left = failures;
  const leases = Object.create(store.leases) as ThreadStore['leases'];
  leases.acquire = (input) => {
    if (left-- > 0) return Promise.reject(blip('leases.acquire'));
    return store.leases.acquire(input);
  };
  return Object.assign(Object.create(store) as ThreadStore, { leases });
}

/**
 * The memory store whose first `deliveries.create` commits and then loses its answer (the
 * connection dropped after the write): the ambiguous failure a retry must not turn into two sends.
 */
function createLandsThenBlips(store: ThreadStore): ThreadStore {
  let failed = false;
  const deliveries = Object.create(store.deliveries) as ThreadStore['deliveries'];
  deliveries.create = async (input) => {
    const made = await store.deliveries.create(input);
    if (failed) return made;
    failed = true;
    throw blip('deliveries.create');
  };
  return Object.assign(Object.create(store) as ThreadStore, { deliveries });
}

/**
 * The memory store whose first `inbound.record` commits (message, entry and turn) and then loses
 * its answer: the webhook fails and the provider's retry is a duplicate.
 */
function recordLandsThenBlips(store: ThreadStore): ThreadStore {
  let failed = false;
  const log = store.inbound;
  if (log === undefined) throw new Error('the memory store records inbound in one step');
  const inbound = Object.create(log) as typeof log;
  inbound.record = async (input) => {
    const result = await log.record(input);
    if (failed) return result;
    failed = true;
    throw blip('inbound.record');
  };
  // The runtime records through the batch method (group commit) where the store has one.
  const recordMany = log.recordMany?.bind(log);
  if (recordMany !== undefined) {
    inbound.recordMany = async (inputs) => {
      const outcomes = await recordMany(inputs);
      if (failed) return outcomes;
      failed = true;
      throw blip('inbound.recordMany');
    };
  }
  return Object.assign(Object.create(store) as ThreadStore, { inbound });
}

describe('agent turns across store blips', () => {
  const started: Harness[] = [];
  afterEach(async () => {
    for (const h of started.splice(0)) await h.threadline.stop();
  });

  it('a blip before the agent is called is retried in place, in order, not left for the turn lease', async () => {
    const clock = createFakeClock();
    const texts: string[] = [];
    const h = await createHarness({
      clock,
      store: acquireBlips(createMemoryStore({ clock }), 2),
      onMessage: (turn) => {
        texts.push(turn.message.text);
      },
    });
    started.push(h);
    await h.channels.whatsapp.receive({ from: ANN, text: 'first', id: 'wamid.1' });
    await h.channels.whatsapp.receive({ from: ANN, text: 'second', id: 'wamid.2' });
    // The fake clock never moves: only an in-place retry can run the first turn.
    await vi.waitFor(() => expect(texts).toEqual(['first', 'second']), { timeout: 3_000 });
    expect(h.errors).toHaveLength(2);
    expect(h.errors.every((error) => error instanceof StoreError)).toBe(true);
  });

  it('a message whose record landed but whose answer was lost is turned within the first lease, not a minute', async () => {
    const clock = createFakeClock();
    const texts: string[] = [];
    const h = await createHarness({
      clock,
      store: recordLandsThenBlips(createMemoryStore({ clock })),
      inbound: FAST_POLL,
      onMessage: (turn) => {
        texts.push(turn.message.text);
      },
    });
    started.push(h);
    const webhook = { from: ANN, text: 'did you get this?', id: 'wamid.1' };
    await expect(h.channels.whatsapp.receive(webhook)).rejects.toBeInstanceOf(StoreError);
    // The provider's retry: already recorded, so nothing starts a turn here.
    await h.channels.whatsapp.receive(webhook);
    await h.threadline.idle();
    expect(texts).toEqual([]);

    clock.advance(FIRST_TURN_LEASE_MS + 1);
    await vi.waitFor(() => expect(texts).toEqual(['did you get this?']));
  });

  it('a reply whose write landed but whose answer was lost is sent once', async () => {
    const clock = createFakeClock();
    const outputs: unknown[] = [];
    const h = await createHarness({
      clock,
      store: createLandsThenBlips(createMemoryStore({ clock })),
      onMessage: async (turn) => {
        outputs.push(await turn.reply('hello back'));
      },
    });
    started.push(h);
    await h.channels.whatsapp.receive({ from: ANN, text: 'hello', id: 'wamid.1' });
    await h.threadline.idle();

    expect(outputs).toHaveLength(1);
    expect(h.channels.whatsapp.sent.map((sent) => sent.envelope.text)).toEqual(['hello back']);
    const thread = await h.store.threads.ensure({ userId: await userOf(h), agentId: 'default' });
    const entries = await h.store.threads.read(thread.id);
    expect(entries.map((entry) => [entry.direction, entry.text])).toEqual([
      ['inbound', 'hello'],
      ['outbound', 'hello back'],
    ]);
  });

  it('a turn taken over does not send the replies its first attempt already made', async () => {
    const clock = createFakeClock();
    const store = createMemoryStore({ clock });
    const a = await createHarness({
      clock,
      store,
      instanceId: 'instance-a',
      onMessage: async (turn) => {
        await turn.reply('one moment');
        // The process dies here: the turn is never completed.
        await new Promise<void>(() => {});
      },
    });
    const second: AgentTurn[] = [];
    const b = await createHarness({
      clock,
      store,
      instanceId: 'instance-b',
      inbound: FAST_POLL,
      onMessage: async (turn) => {
        second.push(turn);
        await turn.reply('one moment');
        await turn.reply('here is your answer');
      },
    });
    started.push(b);
    await a.channels.whatsapp.receive({ from: ANN, text: 'a question', id: 'wamid.1' });
    await vi.waitFor(() => expect(a.channels.whatsapp.sent).toHaveLength(1));

    clock.advance(LEASE_MS + 1);
    await vi.waitFor(() => expect(second).toHaveLength(1));
    await b.threadline.idle();
    expect(second[0]?.attempt).toBe(2);
    // Attempt 2's first reply is attempt 1's (keyed `turn:<thread>:<seq>:reply:1`): not sent again.
    expect(a.channels.whatsapp.sent.map((sent) => sent.envelope.text)).toEqual(['one moment']);
    expect(b.channels.whatsapp.sent.map((sent) => sent.envelope.text)).toEqual([
      'here is your answer',
    ]);
  });
});

async function userOf(h: Harness): Promise<string> {
  const identity = await h.store.identities.get({ channel: 'whatsapp', address: ANN });
  if (identity === null) throw new Error('no identity for Ann');
  return identity.userId;
}
