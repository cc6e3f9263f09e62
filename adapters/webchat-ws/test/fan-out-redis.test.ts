import { randomBytes } from 'node:crypto';
import type { ThreadStore } from '@threadline/core';
import { createRedisStore } from '@threadline/store-redis';
import { createFakeClock, type FakeClock } from '@threadline/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { agentTexts, type ChatServer, startChatServer, TestClient } from './helpers';
import { REDIS_URL, redisReachable } from './redis';

const reachable = await redisReachable('the web chat fan-out tests');

// The cross-instance pattern of fan-out.test.ts, with each instance on a store of its own (its
// own Redis connections) sharing one key prefix: what two processes of a deployment would have.
describe.runIf(reachable)('fan-out between instances on Redis pub/sub', () => {
  const keyPrefix = `tl-test:webchat-fanout:${randomBytes(6).toString('hex')}:`;
  const servers: ChatServer[] = [];
  const stores: ThreadStore[] = [];
  const clients: TestClient[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.ws.terminate();
    await Promise.all(servers.splice(0).map((server) => server.close()));
    // What the test wrote goes with the user (the prefix is this file's own; no FLUSHDB here).
    await stores[0]?.privacy.eraseUser('u1');
    await Promise.all(stores.splice(0).map((store) => store.close()));
  });

  async function start(clock: FakeClock, instanceId: string) {
    const store = createRedisStore({ url: REDIS_URL, keyPrefix, clock, checkPersistence: false });
    stores.push(store);
    const server = await startChatServer({ clock, store, instanceId });
    servers.push(server);
    return server;
  }

  async function connect(server: ChatServer, userId: string) {
    const client = await TestClient.connect(server.url, { token: await server.token(userId) });
    clients.push(client);
    return client;
  }

  it('a send on one instance reaches the user’s sockets on both, each once', async () => {
    const clock = createFakeClock();
    const a = await start(clock, 'a');
    const b = await start(clock, 'b');
    const tabA = await connect(a, 'u1');
    const tabB = await connect(b, 'u1');
    await a.threadline.channels.send({ channel: 'webchat', to: { userId: 'u1' }, text: 'hi' });
    await tabA.next('message', (m) => m.text === 'hi');
    await tabB.next('message', (m) => m.text === 'hi');
    await b.threadline.channels.send({ channel: 'webchat', to: { userId: 'u1' }, text: 'again' });
    await tabA.next('message', (m) => m.text === 'again');
    await tabB.next('message', (m) => m.text === 'again');
    expect(agentTexts(tabA)).toEqual(['hi', 'again']);
    expect(agentTexts(tabB)).toEqual(['hi', 'again']);
  });
});
