import { createMemoryStore } from '@threadline/store-memory';
import { createFakeClock } from '@threadline/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { OptedOutError, type ThreadStore } from '../../src/index';
import { createHarness, type Harness } from './harness';

const ANN = '+447700900123';

/** Counts calls of the reads a send makes before it writes, per `part.method`. */
function counting(store: ThreadStore, options: { outbound: boolean }) {
  const calls: string[] = [];
  function wrap<T extends object>(name: string, part: T): T {
    const wrapped: Record<string, unknown> = { ...(part as Record<string, unknown>) };
    for (const [method, member] of Object.entries(part)) {
      if (typeof member !== 'function') continue;
      wrapped[method] = (...args: unknown[]) => {
        calls.push(`${name}.${method}`);
        return (member as (...a: unknown[]) => unknown).apply(part, args);
      };
    }
    return wrapped as T;
  }
  const { outbound, ...rest } = store;
  const counted: ThreadStore = {
    ...rest,
    users: wrap('users', store.users),
    identities: wrap('identities', store.identities),
    consent: wrap('consent', store.consent),
    threads: wrap('threads', store.threads),
    ...(options.outbound && outbound !== undefined ? { outbound: wrap('outbound', outbound) } : {}),
  };
  return { store: counted, calls };
}

describe('what a send reads before it writes', () => {
  let h: Harness;
  afterEach(async () => {
    await h.threadline.stop();
  });

  for (const outbound of [true, false]) {
    const label = outbound ? 'with store.outbound' : 'without it';

    it(`${label}: a returning user's send, then the same address refused once it opted out`, async () => {
      const clock = createFakeClock();
      const { store, calls } = counting(createMemoryStore({ clock }), { outbound });
      h = await createHarness({ clock, store });
      await h.channels.whatsapp.receive({ from: ANN, text: 'hi' });
      await h.threadline.idle();

      calls.length = 0;
      const result = await h.threadline.channels.send({
        channel: 'whatsapp',
        to: { phoneNumber: ANN },
        text: 'your order shipped',
      });
      expect(result).toMatchObject({ delivered: true, persisted: true });
      // One step where the store can (through its batch method, a batch of one for a lone send);
      // identity, consent and thread apart where it cannot.
      expect(calls).toEqual(
        outbound
          ? ['outbound.recipientMany']
          : ['identities.resolve', 'consent.isOptedOut', 'threads.ensure'],
      );

      // The opt-out read in that step is the one the policy applies.
      await store.consent.record({
        channel: 'whatsapp',
        address: ANN,
        status: 'opted-out',
        at: clock.date(),
      });
      const refused = h.threadline.channels.send({
        channel: 'whatsapp',
        to: { phoneNumber: ANN },
        text: 'sale!',
      });
      await expect(refused).rejects.toBeInstanceOf(OptedOutError);
      expect(h.channels.whatsapp.sent).toHaveLength(1);
    });
  }

  for (const outbound of [true, false]) {
    const label = outbound ? 'with store.outbound' : 'without it';

    it(`${label}: a send to a userId lists the user's identities, then reads like an address send`, async () => {
      const clock = createFakeClock();
      const { store, calls } = counting(createMemoryStore({ clock }), { outbound });
      h = await createHarness({ clock, store });
      await h.channels.whatsapp.receive({ from: ANN, text: 'hi' });
      await h.threadline.idle();
      const identity = await store.identities.get({ channel: 'whatsapp', address: ANN });

      calls.length = 0;
      const result = await h.threadline.channels.send({
        channel: 'whatsapp',
        to: { userId: identity?.userId as string },
        text: 'your order shipped',
      });
      expect(result).toMatchObject({ delivered: true, persisted: true, identifier: ANN });
      // The identity names its user: no `users.get`. Consent and thread in the address's one step.
      expect(calls).toEqual(
        outbound
          ? ['identities.listByUser', 'outbound.recipientMany']
          : ['identities.listByUser', 'consent.isOptedOut', 'threads.ensure'],
      );

      // The opt-out read in that step is the one the policy applies.
      await store.consent.record({
        channel: 'whatsapp',
        address: ANN,
        status: 'opted-out',
        at: clock.date(),
      });
      const refused = h.threadline.channels.send({
        channel: 'whatsapp',
        to: { userId: identity?.userId as string },
        text: 'sale!',
      });
      await expect(refused).rejects.toBeInstanceOf(OptedOutError);
      expect(h.channels.whatsapp.sent).toHaveLength(1);
    });
  }

  it('a reply reads through the same step', async () => {
    const clock = createFakeClock();
    const { store, calls } = counting(createMemoryStore({ clock }), { outbound: true });
    h = await createHarness({
      clock,
      store,
      onMessage: async (turn) => {
        calls.length = 0;
        await turn.reply('got it');
      },
    });
    await h.channels.whatsapp.receive({ from: ANN, text: 'where is my order?' });
    await h.threadline.idle();

    expect(h.channels.whatsapp.sent.map((sent) => sent.envelope.text)).toEqual(['got it']);
    expect(calls.filter((call) => !call.startsWith('threads.read'))).toEqual([
      'outbound.recipientMany',
    ]);
  });
});
