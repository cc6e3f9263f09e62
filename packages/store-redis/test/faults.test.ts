import { createClient } from '@redis/client';
import {
  createThreadline,
  StoreError,
  type ThreadEntry,
  type ThreadlineError,
} from '@threadline/core';
import { createTestAdapter } from '@threadline/testkit';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createRedisStore, type RedisStore } from '../src/index';
import { serverReachable } from './support/server';
import {
  AOF_ALWAYS,
  NO_PERSISTENCE,
  startThrowawayRedis,
  type ThrowawayRedis,
} from './support/throwaway';

/** Retries `work` while it fails with a retryable StoreError, as the dispatcher and a provider would. */
async function retrying<T>(work: () => Promise<T>, errors: ThreadlineError[]): Promise<T> {
  for (let attempt = 0; attempt < 500; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof StoreError) || !error.retryable) throw error;
      errors.push(error);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  throw new Error('still failing after 500 attempts');
}

// These start redis-server themselves; they need the binary, which CI's machine has with the
// shared server (checked through it).
describe.runIf(serverReachable)('when Redis goes away and comes back', () => {
  const servers: ThrowawayRedis[] = [];
  const stores: RedisStore[] = [];
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
  });
  afterAll(async () => {
    for (const server of servers) await server.dispose();
  });

  async function open(args: readonly string[]) {
    const server = await startThrowawayRedis(args);
    servers.push(server);
    const store = createRedisStore({ url: server.url, checkPersistence: false });
    stores.push(store);
    return { server, store };
  }

  it('a command while Redis is down fails at once with the retryable StoreError, and works again after', {
    timeout: 60_000,
  }, async () => {
    const { server, store } = await open(NO_PERSISTENCE);
    const user = await store.users.create({});
    await server.kill();
    const failure = await store.users.get(user.id).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StoreError);
    expect(failure).toMatchObject({
      code: 'store_unavailable',
      retryable: true,
      category: 'store',
    });
    await server.start();
    const errors: ThreadlineError[] = [];
    // No persistence: the restarted server is empty, and says so rather than failing.
    expect(await retrying(() => store.users.get(user.id), errors)).toBeNull();
  });

  it('a Redis crash and restart mid-run loses nothing that was acknowledged (AOF always)', {
    timeout: 120_000,
  }, async () => {
    const { server, store } = await open(AOF_ALWAYS);
    const user = await store.users.create({});
    const thread = await store.threads.ensure({ userId: user.id, agentId: 'support' });
    const acknowledged: ThreadEntry[] = [];
    const deliveries: string[] = [];
    const errors: ThreadlineError[] = [];
    const writer = (async () => {
      for (let n = 0; n < 120; n += 1) {
        const at = new Date(Date.UTC(2026, 0, 1, 0, 0, n));
        try {
          acknowledged.push(
            await store.threads.append(thread.id, { direction: 'inbound', at, text: `m${n}` }),
          );
          const { delivery } = await store.deliveries.create({
            channel: 'sms',
            adapterId: 'sms-main',
            recipient: '+447700900001',
            payload: { n },
            origin: 'send',
            idempotencyKey: `k${n}`,
            nextAttemptAt: at,
          });
          deliveries.push(delivery.id);
        } catch (error) {
          if (!(error instanceof StoreError) || !error.retryable) throw error;
          errors.push(error);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    })();
    while (acknowledged.length < 30) await new Promise((resolve) => setTimeout(resolve, 5));
    await server.kill();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await server.start();
    await writer;

    expect(errors.length).toBeGreaterThan(0);
    const stored = await retrying(
      () => store.threads.read(thread.id, { after: 0, limit: 1000 }),
      errors,
    );
    const bySeq = new Map(stored.map((entry) => [entry.seq, entry]));
    for (const entry of acknowledged) expect(bySeq.get(entry.seq)).toEqual(entry);
    // seq stays gap-free and strictly increasing across the restart.
    expect(stored.map((entry) => entry.seq)).toEqual(stored.map((_, index) => index + 1));
    for (const id of deliveries) {
      expect(await retrying(() => store.deliveries.get(id), errors)).toMatchObject({
        id,
        status: 'queued',
      });
    }
  });

  it('a webhook that arrives while Redis is down is answered non-2xx, so the provider sends it again', {
    timeout: 60_000,
  }, async () => {
    const { server, store } = await open(AOF_ALWAYS);
    const sms = createTestAdapter({ id: 'sms-main', channel: 'sms' });
    const threadline = createThreadline({
      store,
      adapters: [sms],
      agentId: 'support',
      async onMessage() {},
    });
    const event = { type: 'message' as const, id: 'evt-1', from: '+447700900123', text: 'hello' };
    try {
      await server.kill();
      const refused = await threadline.fetch(sms.signedRequest({ events: [event] }));
      expect(refused.status).toBeGreaterThanOrEqual(500);
      await server.start();
      const errors: ThreadlineError[] = [];
      const accepted = await retrying(async () => {
        const response = await threadline.fetch(sms.signedRequest({ events: [event] }));
        if (response.status >= 500) throw new StoreError('not yet', { retryable: true });
        return response;
      }, errors);
      expect(accepted.status).toBe(200);
      const identity = await store.identities.get({ channel: 'sms', address: '+447700900123' });
      expect(identity).not.toBeNull();
      const [thread] = await store.threads.listByUser(identity?.userId ?? '');
      const entries = await store.threads.read(thread?.id ?? '', { latest: 10 });
      expect(entries.filter((entry) => entry.text === 'hello')).toHaveLength(1);
    } finally {
      await threadline.stop();
    }
  });

  it('a server that forgot the scripts (SCRIPT FLUSH, a failover) gets them again by EVAL, transparently', {
    timeout: 60_000,
  }, async () => {
    const { server, store } = await open(NO_PERSISTENCE);
    const user = await store.users.create({});
    const thread = await store.threads.ensure({ userId: user.id, agentId: 'support' });
    const at = new Date();
    await store.threads.append(thread.id, { direction: 'inbound', at, text: 'one' });
    const admin = createClient({ url: server.url });
    await admin.connect();
    const cachedScripts = async () =>
      Number(/number_of_cached_scripts:(\d+)/.exec(await admin.info('memory'))?.[1] ?? -1);
    try {
      await admin.scriptFlush();
      expect(await cachedScripts()).toBe(0);
      expect(
        await store.threads.append(thread.id, { direction: 'inbound', at, text: 'two' }),
      ).toMatchObject({ seq: 2 });
      // The EVAL that answered NOSCRIPT loaded it again, so later calls go by EVALSHA.
      expect(await cachedScripts()).toBe(1);
      expect(
        await store.threads.append(thread.id, { direction: 'inbound', at, text: 'three' }),
      ).toMatchObject({ seq: 3 });
    } finally {
      await admin.close();
    }
  });
});
