import { afterEach, describe, expect, it } from 'vitest';
import { type ChatServer, startChatServer, TestClient } from './helpers';

/**
 * `mirror`: an entry of the visitor's thread that went through another channel reaches their open
 * sockets live (as the replay after a reconnect would show it), once, and the web chat's own
 * entries are left to arrive on their own.
 */
describe('mirroring entries from other channels', () => {
  let server: ChatServer;
  const clients: TestClient[] = [];
  afterEach(async () => {
    for (const open of clients.splice(0)) open.ws.terminate();
    await server?.close();
  });

  it('shows a WhatsApp entry live on every tab of the user, once, with its channel', async () => {
    server = await startChatServer({ onMessage: async ({ reply }) => void (await reply('Hi!')) });
    const tab = await TestClient.connect(server.url, { token: await server.token('ann') });
    const other = await TestClient.connect(server.url, { token: await server.token('ann') });
    clients.push(tab, other);
    await tab.say('hello', 'c1');
    await tab.next('message', (frame) => frame.direction === 'outbound');
    const [thread] = await server.store.threads.listByUser('ann');
    const entry = await server.store.threads.append(thread?.id as string, {
      direction: 'inbound',
      channel: 'whatsapp',
      at: new Date(server.clock.now()),
      text: 'What did I say?',
    });

    expect(await server.webchat.mirror({ userId: 'ann', entry })).toBe(2);
    // A second call for the same entry (a retried event) reaches nobody again.
    expect(await server.webchat.mirror({ userId: 'ann', entry })).toBe(0);
    for (const client of [tab, other]) {
      const frame = await client.next('message', (m) => m.seq === entry.seq);
      expect(frame).toMatchObject({
        channel: 'whatsapp',
        direction: 'inbound',
        text: 'What did I say?',
        replay: false,
      });
      expect(client.of('message').filter((m) => m.seq === entry.seq)).toHaveLength(1);
    }
  });

  it('leaves the web chat’s own entries alone and reaches nobody for a user with no socket', async () => {
    server = await startChatServer();
    const entry = {
      threadId: 't1',
      seq: 1,
      direction: 'outbound' as const,
      at: new Date(server.clock.now()),
      text: 'hello',
    };
    expect(
      await server.webchat.mirror({ userId: 'ann', entry: { ...entry, channel: 'webchat' } }),
    ).toBe(0);
    expect(await server.webchat.mirror({ userId: 'bo', entry: { ...entry, channel: 'sms' } })).toBe(
      0,
    );
  });
});
