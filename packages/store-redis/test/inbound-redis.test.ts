import { createClient } from '@redis/client';
import type { InboundRecordInput, InboundRecordResult } from '@threadline/core';
import { describe, expect, it } from 'vitest';
import type { RedisStore } from '../src/index';
import { commandsSent } from './support/monitor';
import { REDIS_URL, serverReachable } from './support/server';
import { redisTestStores } from './support/stores';

// What the conformance suite cannot see on Redis: how many commands a record costs, that a
// script Redis refuses half-way leaves nothing, the two claim keys, and threads that a merge left
// in another user's slot.

const TTL = 600_000;
const PHONE = '+447700900123';

describe.runIf(serverReachable)('inbound.record on a Redis server', () => {
  const newStore = redisTestStores('inbound');

  function setup() {
    const { prefix, clock, store } = newStore();
    const message = (id: string, address = PHONE): InboundRecordInput => ({
      claimKey: `inbound:wa:${id}`,
      claimTtlMs: TTL,
      sender: { channel: 'whatsapp', address, kind: 'phone' },
      adapterId: 'wa',
      agentId: 'support',
      entry: { direction: 'inbound', at: clock.date(), text: `text of ${id}`, channel: 'whatsapp' },
    });
    const record = (input: InboundRecordInput) =>
      (store.inbound as NonNullable<RedisStore['inbound']>).record(input);
    return { prefix, clock, store, message, record };
  }

  function recorded(result: InboundRecordResult) {
    if (result.duplicate) throw new Error('expected a record, got a duplicate');
    return result;
  }

  it('a returning sender costs one address lookup and two scripts (the global claim, the user slot)', async () => {
    const { prefix, message, record } = setup();
    await record(message('wamid.1'));
    const commands = await commandsSent(prefix, () => record(message('wamid.2')));
    expect(commands.sort()).toEqual(['EVALSHA', 'EVALSHA', 'GET']);
  });

  it('a record Redis refuses half-way changes nothing and gives the claim back', async () => {
    const { prefix, clock, store, message, record } = setup();
    const first = recorded(await record(message('wamid.1')));
    clock.advance(60_000);
    // The user's held-message hash is made a string: the script's HKEYS fails with WRONGTYPE.
    const admin = createClient({ url: REDIS_URL, RESP: 2 });
    await admin.connect();
    const heldKey = `${prefix}{u:${first.user.id}}:held`;
    await admin.set(heldKey, 'not a hash');
    await expect(record(message('wamid.2'))).rejects.toThrow(/WRONGTYPE/);
    await admin.del(heldKey);
    await admin.close();

    expect(await store.threads.read(first.thread.id)).toEqual([first.entry]);
    const identity = await store.identities.get({ channel: 'whatsapp', address: PHONE });
    expect(identity?.lastInboundAt).toEqual(first.identity.lastInboundAt);
    // The provider's retry records it.
    expect(recorded(await record(message('wamid.2'))).entry.seq).toBe(2);
  });

  it('a global claim left by a record that died does not swallow the retry; dedupe.claim still sees it', async () => {
    const { prefix, clock, store, message, record } = setup();
    recorded(await record(message('wamid.1')));
    const admin = createClient({ url: REDIS_URL, RESP: 2 });
    await admin.connect();
    // What an instance that died between the global claim and the user-slot script leaves.
    await admin.set(`${prefix}dedupe:inbound:wa:wamid.2`, `${clock.now() + TTL}:i:dead-instance`);
    await admin.close();
    expect(await store.dedupe.claim('inbound:wa:wamid.2', TTL)).toBe(false);
    expect(recorded(await record(message('wamid.2'))).entry.seq).toBe(2);
    expect(await record(message('wamid.2'))).toEqual({ duplicate: true });
  });

  it('records into a thread inherited through a merge (another slot), exactly once under a storm', async () => {
    const { store, message, record } = setup();
    const old = recorded(await record(message('wamid.1')));
    const survivor = await store.users.create({ displayName: 'Ann' });
    await store.users.merge({ into: survivor.id, from: old.user.id });

    const next = recorded(await record(message('wamid.2')));
    expect(next.user.id).toBe(survivor.id);
    expect(next.thread.id).toBe(old.thread.id);
    expect(next.entry.seq).toBe(2);
    expect(next.identity).toMatchObject({ userId: survivor.id, lastAdapterId: 'wa' });

    const storm = await Promise.all(Array.from({ length: 20 }, () => record(message('wamid.3'))));
    const winners = storm.filter((result) => !result.duplicate).map(recorded);
    expect(winners).toHaveLength(1);
    expect(winners[0]?.entry.seq).toBe(3);
    expect((await store.threads.read(old.thread.id)).map((entry) => entry.text)).toEqual([
      'text of wamid.1',
      'text of wamid.2',
      'text of wamid.3',
    ]);
    expect(await record(message('wamid.2'))).toEqual({ duplicate: true });
  });

  it('a retry of a message recorded just before a merge is still a duplicate after it', async () => {
    const { store, message, record } = setup();
    const before = recorded(await record(message('wamid.1')));
    const survivor = await store.users.create({});
    await store.users.merge({ into: survivor.id, from: before.user.id });
    expect(await record(message('wamid.1'))).toEqual({ duplicate: true });
    expect(await store.threads.read(before.thread.id)).toHaveLength(1);
  });

  it('a retry of a message recorded just before its address was linked to another user is still a duplicate', async () => {
    const { store, message, record } = setup();
    const before = recorded(await record(message('wamid.1')));
    const other = await store.users.create({});
    await store.identities.link({
      channel: 'whatsapp',
      address: PHONE,
      kind: 'phone',
      userId: other.id,
    });
    expect(await record(message('wamid.1'))).toEqual({ duplicate: true });
    const next = recorded(await record(message('wamid.2')));
    expect(next.user.id).toBe(other.id);
    expect(await store.threads.read(before.thread.id)).toHaveLength(1);
  });
});
