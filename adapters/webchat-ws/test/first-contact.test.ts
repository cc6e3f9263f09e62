import { randomBytes } from 'node:crypto';
import type { ErrorContext, ThreadStore } from '@threadline/core';
import { createMemoryStore } from '@threadline/store-memory';
import { createRedisStore } from '@threadline/store-redis';
import { createFakeClock, type FakeClock } from '@threadline/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { type ChatServer, startChatServer, TestClient } from './helpers';
import { REDIS_URL, redisReachable } from './redis';

/** How many tabs a brand-new visitor opens at once (issue 21: all but one closed 1011). */
const TABS = 5;

const redis = await redisReachable('the web chat first-contact test');

const stores: Array<{ name: string; enabled: boolean; create(clock: FakeClock): ThreadStore }> = [
  { name: 'memory', enabled: true, create: (clock) => createMemoryStore({ clock }) },
  {
    name: 'Redis',
    enabled: redis,
    create: (clock) =>
      createRedisStore({
        url: REDIS_URL,
        clock,
        keyPrefix: `tl-test:webchat-first:${randomBytes(6).toString('hex')}:`,
        checkPersistence: false,
      }),
  },
];

describe.each(stores.filter(({ enabled }) => enabled))(
  'first contact on the $name store',
  ({ create }) => {
    let server: ChatServer;
    let store: ThreadStore;
    const clients: TestClient[] = [];
    afterEach(async () => {
      for (const open of clients.splice(0)) open.ws.terminate();
      await server?.close();
      await store?.close?.();
    });

    it(`connects all ${TABS} tabs a new user opens at once, as one user with one address`, async () => {
      const errors: Array<{ error: unknown; context: ErrorContext }> = [];
      const clock = createFakeClock();
      store = create(clock);
      server = await startChatServer({
        clock,
        store,
        onError: (error, context) => errors.push({ error, context }),
      });
      const token = await server.token('new-visitor');
      const tabs = Array.from({ length: TABS }, () => new TestClient(server.url, { token }));
      clients.push(...tabs);
      const outcomes = await Promise.all(
        tabs.map((tab) =>
          Promise.race([
            tab.next('synced').then(() => 'synced'),
            tab.closed.then(({ code }) => `closed ${code}`),
          ]),
        ),
      );
      expect(outcomes).toEqual(Array(TABS).fill('synced'));
      expect(errors).toEqual([]);
      expect(server.webchat.connectionCount).toBe(TABS);
      const identities = await store.identities.listByUser('new-visitor');
      expect(identities.map(({ address }) => address)).toEqual(['user:new-visitor']);

      await server.threadline.channels.send({
        channel: 'webchat',
        to: { userId: 'new-visitor' },
        text: 'welcome',
      });
      await Promise.all(
        tabs.map((tab) => tab.next('message', (frame) => frame.text === 'welcome')),
      );
    });
  },
);
