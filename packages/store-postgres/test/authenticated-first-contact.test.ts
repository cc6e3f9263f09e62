import {
  type ChannelAdapter,
  type ConversationUpdateEvent,
  createThreadline,
  type EventSink,
} from '@threadline/core';
import { createFakeClock, testCapabilities } from '@threadline/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresStore } from '../src/index';
import { closeAdminPool, dropSchema, uniqueName } from './support/schemas';
import { DATABASE_URL, serverReachable } from './support/server';

/** Simultaneous first contacts of one new user (a web chat visitor opening several tabs at once). */
const TABS = 5;

/**
 * Issue 21: several tabs of a brand-new web chat user connecting at once all but one closed 1011,
 * because each created the authenticated user and the losers' unique violation was not retried.
 * On a real server the connections' statements truly interleave.
 */
describe.runIf(serverReachable)('authenticated first contact on PostgreSQL', () => {
  const schema = uniqueName('authfirst');
  const clock = createFakeClock();
  const store = createPostgresStore({
    connectionString: DATABASE_URL,
    schema,
    clock,
    applicationName: schema,
  });
  afterAll(async () => {
    await store.close();
    await dropSchema(schema);
    await closeAdminPool();
  });

  it(`binds ${TABS} simultaneous first contacts of a new user to one user and one address`, async () => {
    await store.migrate();
    let sink: EventSink | undefined;
    const web: ChannelAdapter = {
      id: 'web-auth',
      channel: 'webchat',
      provider: 'test',
      capabilities: testCapabilities,
      send: async () => ({ providerMessageId: 'unused' }),
      start: async (context) => {
        sink = context.sink;
      },
    };
    const threadline = createThreadline({ store, adapters: [web], clock });
    await threadline.start();
    try {
      const connected: ConversationUpdateEvent = {
        type: 'conversation-update',
        adapterId: 'web-auth',
        channel: 'webchat',
        action: 'connected',
        userId: 'new-user',
        from: { address: 'user:new-user' },
        timestamp: clock.date(),
      };
      const receipts = await Promise.all(Array.from({ length: TABS }, () => sink?.emit(connected)));
      expect(receipts.map((receipt) => receipt?.userId)).toEqual(Array(TABS).fill('new-user'));
      const identities = await store.identities.listByUser('new-user');
      expect(identities.map(({ address }) => address)).toEqual(['user:new-user']);
    } finally {
      await threadline.stop();
    }
  });
});
