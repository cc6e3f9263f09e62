import { createMemoryStore } from '@threadline/store-memory';
import { createFakeClock } from '@threadline/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { type DeadLetter, StoreError, type ThreadStore } from '../../src/index';
import { createHarness, type Harness } from './harness';

const ANN = '+447700900123';

/** A store whose parts are the memory store's, with `overrides` on top (the rest untouched). */
function withParts(store: ThreadStore, overrides: Partial<ThreadStore>): ThreadStore {
  return Object.assign(Object.create(store) as ThreadStore, overrides);
}

/** Counts `held.release` calls: the release is a write, and must not run when nothing is held. */
function countingReleases(store: ThreadStore): { store: ThreadStore; releases: () => number } {
  let releases = 0;
  const held = Object.create(store.held) as ThreadStore['held'];
  held.release = async (input) => {
    releases += 1;
    return store.held.release(input);
  };
  return { store: withParts(store, { held }), releases: () => releases };
}

describe('recording an inbound message', () => {
  let h: Harness;
  afterEach(async () => {
    await h.threadline.stop();
  });

  it('releases held messages only when the record says some are held', async () => {
    const clock = createFakeClock();
    const counted = countingReleases(createMemoryStore({ clock }));
    h = await createHarness({ clock, store: counted.store });
    await h.channels.whatsapp.receive({ from: ANN, text: 'hi' });
    await h.channels.whatsapp.receive({ from: ANN, text: 'hi again' });
    await h.threadline.idle();
    expect(counted.releases()).toBe(0);

    // A day later the window is closed: the send is held, and Ann's reply releases it once.
    clock.advance(25 * 3_600_000);
    const sent = await h.threadline.channels.send({
      channel: 'whatsapp',
      to: { phoneNumber: ANN },
      text: 'your order shipped',
    });
    expect(sent.queued).toBe(true);
    await h.channels.whatsapp.receive({ from: ANN, text: 'thanks' });
    await h.threadline.idle();
    expect(counted.releases()).toBe(1);
    expect(h.channels.whatsapp.sent.map((message) => message.envelope.text)).toContain(
      'your order shipped',
    );
  });

  it('falls back to the per-part methods for a store without `inbound`, and still dedupes', async () => {
    const clock = createFakeClock();
    const store = withParts(createMemoryStore({ clock }), { inbound: undefined });
    h = await createHarness({ clock, store });
    const body = { events: [{ type: 'message' as const, id: 'wamid.1', from: ANN, text: 'once' }] };
    for (let retry = 0; retry < 3; retry += 1) {
      const response = await h.threadline.fetch(h.channels.whatsapp.signedRequest(body));
      expect(response.status).toBe(200);
    }
    await h.threadline.idle();
    expect(h.turns.map((turn) => turn.message.text)).toEqual(['once']);
    const identity = await store.identities.get({ channel: 'whatsapp', address: ANN });
    expect(identity?.lastInboundAt).toEqual(clock.date());
  });

  it('a message that fails every time becomes a dead letter after inbound.maxAttempts, answered 200, and the next one records', async () => {
    const clock = createFakeClock();
    const memory = createMemoryStore({ clock });
    // The database refuses this one message (as PostgreSQL refuses a NUL in text).
    const inbound: NonNullable<ThreadStore['inbound']> = {
      async record(input) {
        if (input.entry.text.includes('poison')) {
          throw new StoreError('invalid byte sequence for encoding "UTF8": 0x00', {
            code: 'store_failed',
          });
        }
        return memory.inbound.record(input);
      },
    };
    const store = withParts(memory, { inbound });
    const dead: DeadLetter[] = [];
    h = await createHarness({ clock, store, inbound: { maxAttempts: 3 } });
    h.threadline.on('message.dead-lettered', ({ deadLetter }) => dead.push(deadLetter));
    const poison = {
      events: [{ type: 'message' as const, id: 'wamid.P', from: ANN, text: 'poison' }],
    };

    const statuses: number[] = [];
    for (let attempt = 0; attempt < 4; attempt += 1) {
      statuses.push((await h.threadline.fetch(h.channels.whatsapp.signedRequest(poison))).status);
    }
    expect(statuses).toEqual([500, 500, 200, 200]);
    expect(dead).toEqual([
      expect.objectContaining({ adapterId: 'wa', providerMessageId: 'wamid.P', attempts: 3 }),
    ]);
    expect(dead[0]?.error).toEqual({
      name: 'StoreError',
      code: 'store_failed',
      message: 'invalid byte sequence for encoding "UTF8": 0x00',
    });
    expect(await memory.deadLetters.list()).toEqual([{ ...dead[0], attempts: 4 }]);
    expect(await memory.identities.get({ channel: 'whatsapp', address: ANN })).toBeNull();

    await h.channels.whatsapp.receive({ from: ANN, text: 'hello' });
    await h.threadline.idle();
    expect(h.turns.map((turn) => turn.message.text)).toEqual(['hello']);
  });

  it('without a deadLetters part a failing message keeps failing (the provider retries)', async () => {
    const clock = createFakeClock();
    const memory = createMemoryStore({ clock });
    const store = withParts(memory, {
      deadLetters: undefined,
      inbound: {
        record: async () => {
          throw new StoreError('down', { code: 'store_unavailable', retryable: true });
        },
      },
    });
    h = await createHarness({ clock, store, inbound: { maxAttempts: 1 } });
    const body = { events: [{ type: 'message' as const, id: 'wamid.X', from: ANN, text: 'x' }] };
    const response = await h.threadline.fetch(h.channels.whatsapp.signedRequest(body));
    expect(response.status).toBe(500);
  });
});
