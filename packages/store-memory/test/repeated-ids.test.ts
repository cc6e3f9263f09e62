import { createFakeClock } from '@threadline/testkit';
import { describe, expect, it } from 'vitest';
import { createMemoryStore, type MemoryStore } from '../src/index';

/** A store whose `generateId` hands out `ids` in turn: a generator that repeats itself. */
function storeWithIds(...ids: string[]): MemoryStore {
  const queue = [...ids];
  return createMemoryStore({
    clock: createFakeClock(),
    generateId: () => {
      const id = queue.shift();
      if (id === undefined) throw new Error('the test ran out of ids');
      return id;
    },
  });
}

// A `generateId` option that repeats an id is the caller's bug, but the store must stay
// consistent: the later record replaces the earlier one, and no index still files it under the
// earlier record's owner.
describe('memory store with a generateId that repeats an id', () => {
  it('a held message replaces the one with its id, and the first user no longer lists it', async () => {
    const store = storeWithIds('dup', 'dup');
    const hold = (userId: string) =>
      store.held.hold({
        userId,
        channel: 'whatsapp',
        deliveryId: `d-${userId}`,
        heldAt: new Date(0),
      });
    await hold('user-a');
    const second = await hold('user-b');
    expect(await store.held.list('user-a')).toEqual([]);
    expect(await store.held.list('user-b')).toEqual([second]);
  });

  it('a thread replaces the one with its id, and the first user no longer lists it', async () => {
    const store = storeWithIds('user-a', 'user-b', 'dup', 'dup');
    const a = await store.users.create({});
    const b = await store.users.create({});
    await store.threads.ensure({ userId: a.id, agentId: 'support' });
    const second = await store.threads.ensure({ userId: b.id, agentId: 'support' });
    expect(await store.threads.listByUser(a.id)).toEqual([]);
    expect(await store.threads.listByUser(b.id)).toEqual([second]);
  });
});
