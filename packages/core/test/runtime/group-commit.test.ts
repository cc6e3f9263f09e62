import { createMemoryStore } from '@threadline/store-memory';
import { createFakeClock } from '@threadline/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreError, type ThreadStore } from '../../src/index';
import { GroupCommit } from '../../src/runtime/group-commit';
import type { NewDelivery } from '../../src/store/deliveries';
import type { BatchOutcome } from '../../src/store/delivery-batch';
import { createHarness, type Harness } from './harness';

const PHONES = Array.from(
  { length: 10 },
  (_, index) => `+4477009001${String(index).padStart(2, '0')}`,
);

/** A GroupCommit that records every batch it writes and answers each item by doubling it. */
function doubling(maxBatch: number) {
  const batches: number[][] = [];
  const commit = new GroupCommit<number, number>({
    maxBatch,
    async writeMany(items) {
      batches.push(items);
      return items.map(
        (item): BatchOutcome<number> =>
          item < 0
            ? { ok: false, error: new Error(`refused ${item}`) }
            : { ok: true, value: 2 * item },
      );
    },
  });
  return { batches, commit };
}

describe('GroupCommit', () => {
  it('writes the calls of one tick as one batch and answers each with its own outcome', async () => {
    const { batches, commit } = doubling(100);
    const calls = [1, 2, -3, 4].map((item) => commit.submit(item));
    const settled = await Promise.allSettled(calls);
    expect(batches).toEqual([[1, 2, -3, 4]]);
    expect(settled).toEqual([
      { status: 'fulfilled', value: 2 },
      { status: 'fulfilled', value: 4 },
      { status: 'rejected', reason: new Error('refused -3') },
      { status: 'fulfilled', value: 8 },
    ]);
  });

  it('writes a full batch at once and the rest in the next', async () => {
    const { batches, commit } = doubling(3);
    const results = await Promise.all([1, 2, 3, 4, 5].map((item) => commit.submit(item)));
    expect(batches).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
    expect(results).toEqual([2, 4, 6, 8, 10]);
  });

  it('writes a burst of several full batches one per turn, oldest first', async () => {
    const { batches, commit } = doubling(2);
    const resumed: number[] = [];
    const writtenWhenResumed: number[] = [];
    const calls = [1, 2, 3, 4, 5, 6].map((item) =>
      commit.submit(item).then((value) => {
        resumed.push(item);
        writtenWhenResumed.push(batches.length);
        return value;
      }),
    );
    // Only the first full batch goes at once.
    expect(batches).toEqual([[1, 2]]);
    expect(await Promise.all(calls)).toEqual([2, 4, 6, 8, 10, 12]);
    expect(batches).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(resumed).toEqual([1, 2, 3, 4, 5, 6]);
    // The first batch's callers ran on before the second batch was written.
    expect(writtenWhenResumed.slice(0, 2)).toEqual([1, 1]);
  });

  it('calls of a later tick go in a later batch', async () => {
    const { batches, commit } = doubling(100);
    await commit.submit(1);
    await Promise.all([commit.submit(2), commit.submit(3)]);
    expect(batches).toEqual([[1], [2, 3]]);
  });

  it('a batch that fails as a whole fails every call with the store’s error', async () => {
    const failure = new StoreError('database unreachable', {
      code: 'store_unavailable',
      retryable: true,
    });
    const commit = new GroupCommit<number, number>({
      maxBatch: 100,
      writeMany: () => Promise.reject(failure),
    });
    const settled = await Promise.allSettled([1, 2, 3].map((item) => commit.submit(item)));
    expect(settled).toEqual([1, 2, 3].map(() => ({ status: 'rejected', reason: failure })));
  });

  it('a store that answers too few outcomes fails the unanswered calls, not silently', async () => {
    const commit = new GroupCommit<number, number>({
      maxBatch: 100,
      writeMany: async () => [{ ok: true, value: 1 }],
    });
    const [first, second] = await Promise.allSettled([commit.submit(1), commit.submit(2)]);
    expect(first).toEqual({ status: 'fulfilled', value: 1 });
    expect(second).toMatchObject({ status: 'rejected', reason: { code: 'store_batch_mismatch' } });
  });
});

/** The memory store, with every createMany batch and every create call counted. */
function counted(store: ThreadStore, createMany: ThreadStore['deliveries']['createMany']) {
  const batches: NewDelivery[][] = [];
  let creates = 0;
  const deliveries = {
    ...store.deliveries,
    create(input: NewDelivery) {
      creates += 1;
      return store.deliveries.create(input);
    },
    ...(createMany === undefined
      ? { createMany: undefined }
      : {
          createMany(inputs: readonly NewDelivery[]) {
            batches.push([...inputs]);
            return createMany(inputs);
          },
        }),
  };
  return { store: { ...store, deliveries }, batches, creates: () => creates };
}

describe('sends issued together', () => {
  const harnesses: Harness[] = [];
  afterEach(async () => {
    await Promise.all(harnesses.splice(0).map((harness) => harness.threadline.stop()));
  });

  async function sendAll(h: Harness) {
    return Promise.all(
      PHONES.map((phoneNumber, index) =>
        h.threadline.channels.send({ channel: 'sms', to: { phoneNumber }, text: `note ${index}` }),
      ),
    );
  }

  it('are written in one batch, each with its thread entry, and all sent', async () => {
    const clock = createFakeClock();
    const memory = createMemoryStore({ clock });
    const { store, batches, creates } = counted(memory, memory.deliveries.createMany);
    const h = await createHarness({ clock, store });
    harnesses.push(h);

    const results = await sendAll(h);

    expect(batches).toHaveLength(1);
    expect(batches[0]?.map((input) => input.threadEntry?.text)).toEqual(
      PHONES.map((_, index) => `note ${index}`),
    );
    expect(creates()).toBe(0);
    expect(results.every((result) => result.delivered && result.persisted)).toBe(true);
    expect(h.channels.sms.sent).toHaveLength(PHONES.length);
    for (const result of results) {
      const [thread] = await memory.threads.listByUser(result.userId as string);
      const entries = await memory.threads.read(thread?.id as string);
      expect(entries).toMatchObject([{ seq: 1, deliveryId: result.deliveryId }]);
    }
  });

  it('are created one by one on a store without createMany, with the same results', async () => {
    const clock = createFakeClock();
    const { store, batches, creates } = counted(createMemoryStore({ clock }), undefined);
    const h = await createHarness({ clock, store });
    harnesses.push(h);

    const results = await sendAll(h);

    expect(batches).toEqual([]);
    expect(creates()).toBe(PHONES.length);
    expect(results.every((result) => result.delivered && result.persisted)).toBe(true);
  });

  it('are created one by one with outbox.groupCommitMax: 1', async () => {
    const clock = createFakeClock();
    const memory = createMemoryStore({ clock });
    const { store, batches, creates } = counted(memory, memory.deliveries.createMany);
    const h = await createHarness({
      clock,
      store,
      outbox: { pollIntervalMs: 3_600_000, groupCommitMax: 1 },
    });
    harnesses.push(h);

    await sendAll(h);

    expect(batches).toEqual([]);
    expect(creates()).toBe(PHONES.length);
  });

  it('all fail with the store’s error when their batch fails, and nothing is sent', async () => {
    const clock = createFakeClock();
    const memory = createMemoryStore({ clock });
    const failure = new StoreError('database unreachable', {
      code: 'store_unavailable',
      retryable: true,
    });
    const { store } = counted(memory, () => Promise.reject(failure));
    const h = await createHarness({ clock, store });
    harnesses.push(h);

    const settled = await Promise.allSettled(
      PHONES.map((phoneNumber) =>
        h.threadline.channels.send({ channel: 'sms', to: { phoneNumber }, text: 'never sent' }),
      ),
    );

    expect(
      settled.every((result) => result.status === 'rejected' && result.reason === failure),
    ).toBe(true);
    expect(h.channels.sms.sent).toEqual([]);
    expect(await memory.deliveries.list()).toEqual([]);
  });
});
