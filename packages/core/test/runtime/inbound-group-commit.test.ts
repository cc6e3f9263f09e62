import { createMemoryStore } from '@threadline/store-memory';
import { createFakeClock } from '@threadline/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { type InboundRecordInput, StoreError, type ThreadStore } from '../../src/index';
import { createHarness, type Harness } from './harness';

const PHONES = ['+447700900101', '+447700900102', '+447700900103', '+447700900104'];

/** The memory store, with every `inbound.recordMany` batch and every `inbound.record` call counted. */
function counted(
  store: ThreadStore,
  recordMany: NonNullable<ThreadStore['inbound']>['recordMany'] | undefined,
) {
  const batches: InboundRecordInput[][] = [];
  let records = 0;
  const log = store.inbound;
  if (log === undefined) throw new Error('the memory store has inbound');
  const inbound: NonNullable<ThreadStore['inbound']> = {
    record(input) {
      records += 1;
      return log.record(input);
    },
    ...(recordMany === undefined
      ? {}
      : {
          recordMany(inputs: readonly InboundRecordInput[]) {
            batches.push([...inputs]);
            return recordMany(inputs);
          },
        }),
  };
  return { store: { ...store, inbound }, batches, records: () => records };
}

describe('webhooks that arrive together', () => {
  const harnesses: Harness[] = [];
  afterEach(async () => {
    await Promise.all(harnesses.splice(0).map((harness) => harness.threadline.stop()));
  });

  /** One webhook per phone, all in flight at once, each a new message; their HTTP statuses. */
  async function postAll(h: Harness, round: string): Promise<number[]> {
    const responses = await Promise.all(
      PHONES.map((from, index) =>
        h.threadline.fetch(
          h.channels.sms.signedRequest({
            events: [{ type: 'message', id: `${round}-${index}`, from, text: `${round} ${index}` }],
          }),
        ),
      ),
    );
    return responses.map((response) => response.status);
  }

  it('are recorded in one batch, each in its own thread, and each agent is woken', async () => {
    const clock = createFakeClock();
    const memory = createMemoryStore({ clock });
    const { store, batches, records } = counted(memory, memory.inbound?.recordMany);
    const h = await createHarness({ clock, store });
    harnesses.push(h);

    expect(await postAll(h, 'hello')).toEqual(PHONES.map(() => 200));
    await h.threadline.idle();

    expect(batches).toHaveLength(1);
    expect(batches[0]?.map((input) => input.entry.text)).toEqual(
      PHONES.map((_, index) => `hello ${index}`),
    );
    expect(records()).toBe(0);
    expect(h.turns.map((turn) => turn.message.text).sort()).toEqual(
      PHONES.map((_, index) => `hello ${index}`),
    );
    const threads = new Set(h.turns.map((turn) => turn.thread.id));
    expect(threads.size).toBe(PHONES.length);
  });

  it('are recorded one by one on a store without recordMany, or with inbound.groupCommitMax: 1', async () => {
    for (const variant of ['no recordMany', 'groupCommitMax 1'] as const) {
      const clock = createFakeClock();
      const memory = createMemoryStore({ clock });
      const { store, batches, records } = counted(
        memory,
        variant === 'no recordMany' ? undefined : memory.inbound?.recordMany,
      );
      const h = await createHarness({
        clock,
        store,
        ...(variant === 'groupCommitMax 1' ? { inbound: { groupCommitMax: 1 } } : {}),
      });
      harnesses.push(h);
      expect(await postAll(h, 'hello')).toEqual(PHONES.map(() => 200));
      expect(batches, variant).toEqual([]);
      expect(records(), variant).toBe(PHONES.length);
    }
  });

  it('all fail, and none is recorded, when their batch fails; the provider’s retries record each once', async () => {
    const clock = createFakeClock();
    const memory = createMemoryStore({ clock });
    let down = true;
    const failure = new StoreError('database unreachable', {
      code: 'store_unavailable',
      retryable: true,
    });
    const { store } = counted(memory, (inputs) =>
      down ? Promise.reject(failure) : (memory.inbound?.recordMany?.(inputs) ?? Promise.reject()),
    );
    const h = await createHarness({ clock, store });
    harnesses.push(h);

    const statuses = await postAll(h, 'hello');
    // Not 2xx: each provider retries its own message.
    expect(statuses.every((status) => status >= 500)).toBe(true);
    expect(h.turns).toEqual([]);
    for (const phone of PHONES) {
      expect(await memory.identities.get({ channel: 'sms', address: phone })).toBeNull();
    }

    down = false;
    expect(await postAll(h, 'hello')).toEqual(PHONES.map(() => 200));
    expect(await postAll(h, 'hello')).toEqual(PHONES.map(() => 200));
    await h.threadline.idle();
    expect(h.turns.map((turn) => turn.message.text).sort()).toEqual(
      PHONES.map((_, index) => `hello ${index}`),
    );
    for (const turn of h.turns) {
      expect((await memory.threads.read(turn.thread.id)).map((entry) => entry.text)).toEqual([
        turn.message.text,
      ]);
    }
  });
});
