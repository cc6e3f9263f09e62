import { describe, expect, it } from 'vitest';
import type { RedisStore } from '../src/index';
import { commandsSent } from './support/monitor';
import { serverReachable } from './support/server';
import { redisTestStores } from './support/stores';

// What the conformance suite cannot see on Redis: the commands a send's recipient lookup costs,
// and a thread that a merge left in another user's slot.

const PHONE = '+447700900123';
const KEY = { channel: 'whatsapp', address: PHONE };

describe.runIf(serverReachable)('outbound.recipient on a Redis server', () => {
  const newStore = redisTestStores('outbound');

  function setup() {
    const { prefix, store } = newStore();
    const recipient = (agentId: string) =>
      (store.outbound as NonNullable<RedisStore['outbound']>).recipient({ ...KEY, agentId });
    return { prefix, store, recipient };
  }

  it('a known address costs the owner and consent reads (sent together) and one script in the owner’s slot', async () => {
    const { prefix, store, recipient } = setup();
    const { user } = await store.identities.resolve({ ...KEY, kind: 'phone' });
    const thread = await store.threads.ensure({ userId: user.id, agentId: 'support' });
    let found: Awaited<ReturnType<typeof recipient>> = null;
    const commands = await commandsSent(prefix, async () => {
      found = await recipient('support');
    });
    expect(commands.sort()).toEqual(['EVALSHA', 'GET', 'HGETALL']);
    expect(found).toEqual({
      identity: await store.identities.get(KEY),
      optedOut: false,
      thread,
    });
  });

  it('answers the thread a merge left in the other user’s slot', async () => {
    const { store, recipient } = setup();
    const { user: old } = await store.identities.resolve({ ...KEY, kind: 'phone' });
    const inherited = await store.threads.ensure({ userId: old.id, agentId: 'support' });
    const survivor = await store.users.create({ displayName: 'Ann' });
    await store.users.merge({ into: survivor.id, from: old.id });

    const found = await recipient('support');
    expect(found?.identity.userId).toBe(survivor.id);
    expect(found?.thread).toEqual(
      await store.threads.ensure({ userId: survivor.id, agentId: 'support' }),
    );
    expect(found?.thread?.id).toBe(inherited.id);
    expect(found?.thread?.userId).toBe(survivor.id);
  });
});
