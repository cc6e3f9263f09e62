import { createMemoryStore } from '@threadline/store-memory';
import { createFakeClock } from '@threadline/testkit';
import { describe, expect, it } from 'vitest';
import { OptedOutError, StoreError, type ThreadStore } from '../../src/index';
import type { OutboundLookup, SendRecipientInput } from '../../src/store/outbound';
import { type Harness, harnessesStoppedAfterEach } from './harness';

const PHONES = Array.from(
  { length: 8 },
  (_, index) => `+4477009002${String(index).padStart(2, '0')}`,
);

/** The memory store with every `recipientMany` batch and every `recipient` call counted. */
function counted(store: ThreadStore, recipientMany: OutboundLookup['recipientMany']) {
  const outbound = store.outbound as OutboundLookup;
  const batches: SendRecipientInput[][] = [];
  let singles = 0;
  const counting: OutboundLookup = {
    recipient(input) {
      singles += 1;
      return outbound.recipient(input);
    },
    ...(recipientMany === undefined
      ? {}
      : {
          recipientMany(inputs: readonly SendRecipientInput[]) {
            batches.push([...inputs]);
            return recipientMany(inputs);
          },
        }),
  };
  return { store: { ...store, outbound: counting }, batches, singles: () => singles };
}

describe('the policy reads of sends issued together', () => {
  const start = harnessesStoppedAfterEach();

  const sendAll = (h: Harness) =>
    Promise.allSettled(
      PHONES.map((phoneNumber, index) =>
        h.threadline.channels.send({ channel: 'sms', to: { phoneNumber }, text: `note ${index}` }),
      ),
    );

  it('are one recipientMany batch, and each send gets its own recipient’s policy', async () => {
    const clock = createFakeClock();
    const memory = createMemoryStore({ clock });
    const { store, batches, singles } = counted(memory, memory.outbound.recipientMany);
    const refused = PHONES[3] as string;
    await memory.consent.record({
      channel: 'sms',
      address: refused,
      status: 'opted-out',
      at: clock.date(),
    });
    const h = await start(store, clock);

    const settled = await sendAll(h);

    expect(batches).toHaveLength(1);
    expect(batches[0]?.map((input) => input.address)).toEqual(PHONES);
    expect(singles()).toBe(0);
    settled.forEach((result, index) => {
      if (index === 3) {
        expect(result.status === 'rejected' && result.reason).toBeInstanceOf(OptedOutError);
      } else {
        expect(result).toMatchObject({ status: 'fulfilled', value: { delivered: true } });
      }
    });
    expect(h.channels.sms.sent.map((sent) => sent.envelope.to)).not.toContain(refused);
    expect(h.channels.sms.sent).toHaveLength(PHONES.length - 1);
  });

  it('are read one by one on a store without recipientMany, with the same results', async () => {
    const { store, batches, singles } = counted(createMemoryStore(), undefined);
    const h = await start(store);

    const settled = await sendAll(h);

    expect(batches).toEqual([]);
    expect(singles()).toBe(PHONES.length);
    expect(settled.every((result) => result.status === 'fulfilled')).toBe(true);
  });

  it('are read one by one with outbox.groupCommitMax: 1', async () => {
    const memory = createMemoryStore();
    const { store, batches, singles } = counted(memory, memory.outbound.recipientMany);
    const h = await start(store, createFakeClock(), 1);

    await sendAll(h);

    expect(batches).toEqual([]);
    expect(singles()).toBe(PHONES.length);
  });

  it('all fail with the store’s error when their batch fails, and nothing is written or sent', async () => {
    const memory = createMemoryStore();
    const failure = new StoreError('database unreachable', {
      code: 'store_unavailable',
      retryable: true,
    });
    const { store } = counted(memory, () => Promise.reject(failure));
    const h = await start(store);

    const settled = await sendAll(h);

    expect(
      settled.every((result) => result.status === 'rejected' && result.reason === failure),
    ).toBe(true);
    expect(h.channels.sms.sent).toEqual([]);
    expect(await memory.deliveries.list()).toEqual([]);
  });
});
