import { createClient } from '@redis/client';
import type { Logger } from '@threadline/core';
import { createFakeClock } from '@threadline/testkit';
import calculateSlot from 'cluster-key-slot';
import { afterAll, describe, expect, it } from 'vitest';
import { defineScript, openConnection } from '../src/connection';
import { createRedisStore, type RedisStore } from '../src/index';
import { deletePrefix, REDIS_URL, serverReachable, uniquePrefix } from './support/server';
import { AOF_ALWAYS, startThrowawayRedis } from './support/throwaway';

/** A logger that keeps what was warned. */
function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  const ignore = () => undefined;
  return {
    warnings,
    debug: ignore,
    info: ignore,
    error: ignore,
    warn: (_, message) => warnings.push(message ?? ''),
  };
}

describe('createRedisStore options', () => {
  it('refuses a key prefix with a brace, naming the option', () => {
    expect(() => createRedisStore({ keyPrefix: 'app{1}:' })).toThrow(/keyPrefix/);
  });

  it('refuses a URL that is not redis:// and an unknown option', () => {
    expect(() => createRedisStore({ url: 'http://localhost:6379' })).toThrow(/url/);
    expect(() => createRedisStore({ prefix: 'x' } as never)).toThrow(/prefix/);
  });
});

describe.runIf(serverReachable)('on a Redis server', () => {
  const root = uniquePrefix('store');
  const stores: RedisStore[] = [];
  const admin = createClient({ url: REDIS_URL, RESP: 2 });
  afterAll(async () => {
    for (const store of stores) await store.close();
    if (admin.isOpen) await admin.close();
    await deletePrefix(root);
  });

  it('warns at start when Redis persists nothing (the shared test server runs with persistence off)', async () => {
    const logger = recordingLogger();
    const store = createRedisStore({ url: REDIS_URL, keyPrefix: `${root}warn:`, logger });
    stores.push(store);
    expect(await store.persistence).toMatchObject({ appendonly: false, save: '' });
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]).toMatch(/persistence off/);
  });

  it('does not warn when Redis writes an append-only file', { timeout: 60_000 }, async () => {
    const server = await startThrowawayRedis(AOF_ALWAYS);
    const logger = recordingLogger();
    const store = createRedisStore({ url: server.url, logger });
    try {
      expect(await store.persistence).toMatchObject({ appendonly: true, appendfsync: 'always' });
      expect(logger.warnings).toEqual([]);
    } finally {
      await store.close();
      await server.dispose();
    }
  });

  it('lays one user’s keys (user, identities, threads, entries, held) in one Cluster slot, and the outbox in another', async () => {
    const prefix = `${root}layout:`;
    const store = createRedisStore({
      url: REDIS_URL,
      keyPrefix: prefix,
      clock: createFakeClock(),
      checkPersistence: false,
    });
    stores.push(store);
    const { user } = await store.identities.resolve({
      channel: 'sms',
      address: '+447700900123',
      kind: 'phone',
    });
    await store.identities.link({
      channel: 'whatsapp',
      address: '+447700900123',
      kind: 'phone',
      userId: user.id,
    });
    const thread = await store.threads.ensure({ userId: user.id, agentId: 'support' });
    await store.threads.append(thread.id, { direction: 'inbound', at: new Date(), text: 'hi' });
    const { delivery } = await store.deliveries.create({
      channel: 'sms',
      adapterId: 'sms-main',
      recipient: '+447700900123',
      payload: { text: 'hey' },
      origin: 'send',
      userId: user.id,
      threadId: thread.id,
      idempotencyKey: 'k1',
      nextAttemptAt: new Date(),
    });
    await store.held.hold({
      userId: user.id,
      channel: 'whatsapp',
      deliveryId: delivery.id,
      heldAt: new Date(),
    });

    // Checked through Redis itself, not through the store.
    await admin.connect();
    const keys: string[] = [];
    for await (const batch of admin.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 }))
      keys.push(...batch);
    const outboxKeys = keys.filter((key) => key.startsWith(`${prefix}{o}:`));
    // The first {…} names the slot: an outbox index named after a thread stays in {o}.
    const userKeys = keys.filter(
      (key) => !outboxKeys.includes(key) && key.includes(`{u:${user.id}}`),
    );
    expect(userKeys.length).toBeGreaterThanOrEqual(8);
    expect(new Set(userKeys.map((key) => calculateSlot(key))).size).toBe(1);
    expect(outboxKeys.length).toBeGreaterThanOrEqual(5);
    expect(new Set(outboxKeys.map((key) => calculateSlot(key))).size).toBe(1);
    // The rest are single-key lookups by name: contact point, two addresses.
    expect(
      keys.filter((key) => !userKeys.includes(key) && !outboxKeys.includes(key)).sort(),
    ).toEqual(
      [
        `${prefix}address:sms:+447700900123`,
        `${prefix}address:whatsapp:+447700900123`,
        `${prefix}contact:phone:+447700900123`,
      ].sort(),
    );
    expect(await admin.get(`${prefix}address:whatsapp:+447700900123`)).toBe(user.id);
  });

  it('refuses a script whose keys would cross Cluster slots, before sending it', async () => {
    const conn = openConnection({
      url: REDIS_URL,
      connectTimeoutMs: 3_000,
      logger: recordingLogger(),
    });
    const both = defineScript('cross-slot', "return redis.call('MGET', KEYS[1], KEYS[2])");
    try {
      await expect(
        conn.run('test', both, [`${root}{a}x`, `${root}{b}y`], []),
      ).rejects.toMatchObject({
        code: 'store_failed',
        message: expect.stringMatching(/two hash slots/),
      });
      expect(await conn.run('test', both, [`${root}{a}x`, `${root}{a}y`], [])).toEqual([
        null,
        null,
      ]);
    } finally {
      await conn.close();
    }
  });

  it('claimDue moves a delivery from the due set to the in-flight set by lease expiry, and an expired lease is taken over', async () => {
    const prefix = `${root}outbox:`;
    const clock = createFakeClock();
    const store = createRedisStore({
      url: REDIS_URL,
      keyPrefix: prefix,
      clock,
      checkPersistence: false,
    });
    stores.push(store);
    if (!admin.isOpen) await admin.connect();
    const { delivery } = await store.deliveries.create({
      channel: 'sms',
      adapterId: 'sms-main',
      recipient: '+447700900123',
      payload: { text: 'hey' },
      origin: 'send',
      nextAttemptAt: clock.date(),
    });
    const member = (await admin.zRange(`${prefix}{o}:due`, 0, -1))[0] ?? '';
    expect(member.endsWith(`:${delivery.id}`)).toBe(true);
    expect(await admin.zScore(`${prefix}{o}:due`, member)).toBe(clock.now());

    await store.deliveries.claimDue({ owner: 'a', limit: 10, leaseMs: 30_000 });
    expect(await admin.zCard(`${prefix}{o}:due`)).toBe(0);
    expect(await admin.zScore(`${prefix}{o}:inflight`, member)).toBe(clock.now() + 30_000);

    clock.advance(30_001);
    const [taken] = await store.deliveries.claimDue({ owner: 'b', limit: 10, leaseMs: 30_000 });
    expect(taken).toMatchObject({ id: delivery.id, attempts: 2, lease: { owner: 'b' } });
    expect(await admin.zScore(`${prefix}{o}:inflight`, member)).toBe(clock.now() + 30_000);
    // The first owner's late answer is refused: b holds it now.
    expect(
      await store.deliveries.complete(delivery.id, {
        owner: 'a',
        providerMessageId: 'x',
        status: 'sent',
        at: clock.date(),
      }),
    ).toBeNull();
    await store.deliveries.complete(delivery.id, {
      owner: 'b',
      providerMessageId: 'y',
      status: 'sent',
      at: clock.date(),
    });
    expect(await admin.zCard(`${prefix}{o}:inflight`)).toBe(0);
    expect(await admin.hGet(`${prefix}{o}:d:${delivery.id}`, 'status')).toBe('sent');
  });
});
