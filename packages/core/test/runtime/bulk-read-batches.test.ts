import { createMemoryStore } from '@threadline/store-memory';
import { createFakeClock } from '@threadline/testkit';
import { describe, expect, it } from 'vitest';
import { StoreError, type ThreadStore } from '../../src/index';
import type { ConsentStore } from '../../src/store/consent';
import type { AddressKey, IdentityStore } from '../../src/store/identities';
import { type Harness, harnessesStoppedAfterEach } from './harness';

const PHONES = Array.from(
  { length: 8 },
  (_, index) => `+4477009003${String(index).padStart(2, '0')}`,
);
const KNOWN = PHONES[1] as string;
const OPTED_OUT = PHONES[5] as string;
const TEMPLATE = { name: 'spring_sale' };

interface Counts {
  consentBatches: string[][];
  identityBatches: string[][];
  isOptedOut: number;
  get: number;
  resolve: number;
}

/**
 * The memory store with its consent and identity reads counted; `batches: false` leaves the
 * batch reads out (a store written before them), `fail` makes every batch read reject.
 */
function counted(memory: ThreadStore, options: { batches?: boolean; fail?: Error } = {}) {
  const counts: Counts = {
    consentBatches: [],
    identityBatches: [],
    isOptedOut: 0,
    get: 0,
    resolve: 0,
  };
  const addresses = (keys: readonly AddressKey[]) => keys.map((key) => key.address);
  const consent: ConsentStore = {
    record: (input) => memory.consent.record(input),
    get: (key) => memory.consent.get(key),
    isOptedOut(key) {
      counts.isOptedOut += 1;
      return memory.consent.isOptedOut(key);
    },
  };
  const identities: IdentityStore = {
    ...memory.identities,
    get(key) {
      counts.get += 1;
      return memory.identities.get(key);
    },
    resolve(input) {
      counts.resolve += 1;
      return memory.identities.resolve(input);
    },
  };
  delete identities.getMany;
  if (options.batches !== false) {
    consent.isOptedOutMany = (keys) => {
      counts.consentBatches.push(addresses(keys));
      if (options.fail) return Promise.reject(options.fail);
      return memory.consent.isOptedOutMany?.(keys) as Promise<boolean[]>;
    };
    identities.getMany = (keys) => {
      counts.identityBatches.push(addresses(keys));
      if (options.fail) return Promise.reject(options.fail);
      return memory.identities.getMany?.(keys) as ReturnType<NonNullable<IdentityStore['getMany']>>;
    };
  }
  return { store: { ...memory, consent, identities }, counts };
}

describe('the consent and identity reads of a bulk send', () => {
  const start = harnessesStoppedAfterEach();

  /** A memory store with one known number (its identity has a reference) and one opt-out. */
  async function seeded() {
    const clock = createFakeClock();
    const memory = createMemoryStore({ clock });
    await memory.identities.resolve({ channel: 'whatsapp', address: KNOWN, kind: 'phone' });
    await memory.identities.touch(
      { channel: 'whatsapp', address: KNOWN },
      { adapterId: 'wa', reference: { conversation: 'c-1' } },
    );
    await memory.consent.record({
      channel: 'whatsapp',
      address: OPTED_OUT,
      status: 'opted-out',
      at: clock.date(),
    });
    return { clock, memory };
  }

  const sendAll = (h: Harness, messageContext?: string) =>
    h.threadline.templates.whatsapp.send({
      from: 'wa',
      template: TEMPLATE,
      phoneNumbers: PHONES,
      ...(messageContext === undefined ? {} : { messageContext }),
    });

  it('are one batch each for the numbers of one tick, and nothing is read again to send', async () => {
    const { clock, memory } = await seeded();
    const { store, counts } = counted(memory);
    const h = await start(store, clock);

    const summary = await sendAll(h);

    expect(counts.consentBatches).toEqual([PHONES]);
    expect(counts.identityBatches).toEqual([PHONES]);
    // The first attempts take the identities read with consent, a checked `null` included.
    expect([counts.isOptedOut, counts.get, counts.resolve]).toEqual([0, 0, 0]);
    expect(summary.errors.map((error) => [error.phoneNumber, error.code])).toEqual([
      [OPTED_OUT, 'opted_out'],
    ]);
    const sent = h.channels.whatsapp.sent.map((send) => send.envelope.to);
    expect(sent.map((to) => to.address)).toEqual(PHONES.filter((phone) => phone !== OPTED_OUT));
    // The identity read in the batch reached the provider call: the known number's reference.
    expect(sent.find((to) => to.address === KNOWN)?.reference).toEqual({ conversation: 'c-1' });
    expect(sent.filter((to) => to.reference !== undefined)).toHaveLength(1);
    // A bulk send to numbers never met creates no identity (no messageContext).
    expect(
      await memory.identities.get({ channel: 'whatsapp', address: PHONES[0] as string }),
    ).toBeNull();
  });

  it('are read one number at a time on a store without the batch reads, each once', async () => {
    const { clock, memory } = await seeded();
    const { store, counts } = counted(memory, { batches: false });
    const h = await start(store, clock);

    const summary = await sendAll(h);

    expect([counts.consentBatches, counts.identityBatches]).toEqual([[], []]);
    expect(counts.isOptedOut).toBe(PHONES.length);
    expect(counts.get).toBe(PHONES.length);
    expect(summary.errors.map((error) => error.phoneNumber)).toEqual([OPTED_OUT]);
    expect(h.channels.whatsapp.sent).toHaveLength(PHONES.length - 1);
  });

  it('are read one number at a time with outbox.groupCommitMax: 1', async () => {
    const { clock, memory } = await seeded();
    const { store, counts } = counted(memory);
    const h = await start(store, clock, 1);

    await sendAll(h);

    expect([counts.consentBatches, counts.identityBatches]).toEqual([[], []]);
    expect([counts.isOptedOut, counts.get]).toEqual([PHONES.length, PHONES.length]);
  });

  it('with a messageContext read consent only, and resolve each number that is not opted out', async () => {
    const { clock, memory } = await seeded();
    const { store, counts } = counted(memory);
    const h = await start(store, clock);

    const summary = await sendAll(h, 'Spring sale: 20% off');

    expect(counts.consentBatches).toEqual([PHONES]);
    expect(counts.identityBatches).toEqual([]);
    expect([counts.isOptedOut, counts.get, counts.resolve]).toEqual([0, 0, PHONES.length - 1]);
    expect(summary.errors.map((error) => error.phoneNumber)).toEqual([OPTED_OUT]);
    expect(await memory.identities.get({ channel: 'whatsapp', address: OPTED_OUT })).toBeNull();
    const sent = h.channels.whatsapp.sent.map((send) => send.envelope.to);
    expect(sent.find((to) => to.address === KNOWN)?.reference).toEqual({ conversation: 'c-1' });
    expect(sent.every((to) => to.userId !== undefined)).toBe(true);
  });

  it('fail every number of the batch with the store’s error when it fails, sending nothing', async () => {
    const { clock, memory } = await seeded();
    const failure = new StoreError('database unreachable', {
      code: 'store_unavailable',
      retryable: true,
    });
    const { store } = counted(memory, { fail: failure });
    const h = await start(store, clock);

    const summary = await sendAll(h);

    expect(summary.results).toEqual([]);
    expect(summary.errors.map((error) => [error.phoneNumber, error.code])).toEqual(
      PHONES.map((phone) => [phone, 'store_unavailable']),
    );
    expect(h.channels.whatsapp.sent).toEqual([]);
    expect(await memory.deliveries.list()).toEqual([]);
  });
});
