import { createMemoryStore } from '@threadline/store-memory';
import { createFakeClock } from '@threadline/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { agentTexts, type ChatServer, startChatServer, TestClient } from './helpers';

describe('several server instances on one store', () => {
  const servers: ChatServer[] = [];
  const clients: TestClient[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.ws.terminate();
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  async function twoInstances() {
    const clock = createFakeClock();
    const store = createMemoryStore({ clock });
    const onMessage = async ({
      message,
      reply,
    }: {
      message: { text: string };
      reply: (t: string) => Promise<unknown>;
    }) => {
      await reply(`You said: ${message.text}`);
    };
    const a = await startChatServer({ clock, store, instanceId: 'a', onMessage });
    const b = await startChatServer({ clock, store, instanceId: 'b', onMessage });
    servers.push(a, b);
    return { a, b };
  }

  const connect = async (url: string, token: string) => {
    const client = await TestClient.connect(url, { token });
    clients.push(client);
    return client;
  };

  it('delivers a send handled on instance B to a socket held by instance A, once', async () => {
    const { a, b } = await twoInstances();
    const onA = await connect(a.url, await a.token('u1'));
    await b.threadline.channels.send({ channel: 'webchat', to: { userId: 'u1' }, text: 'from B' });
    await onA.next('message', (m) => m.text === 'from B');
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(agentTexts(onA)).toEqual(['from B']);
  });

  it('gives tabs on both instances every reply and echo exactly once, including the instance that published', async () => {
    const { a, b } = await twoInstances();
    const tabA = await connect(a.url, await a.token('u1'));
    const tabB = await connect(b.url, await b.token('u1'));
    await tabA.say('hello', 'c-1');
    await tabB.next('message', (m) => m.clientMsgId === 'c-1');
    await tabA.next('message', (m) => m.text === 'You said: hello');
    await tabB.next('message', (m) => m.text === 'You said: hello');
    await b.threadline.channels.send({
      channel: 'webchat',
      to: { userId: 'u1' },
      text: 'proactive',
    });
    await tabA.next('message', (m) => m.text === 'proactive');
    await tabB.next('message', (m) => m.text === 'proactive');
    await a.threadline.idle();
    await new Promise((resolve) => setTimeout(resolve, 30));
    for (const tab of [tabA, tabB])
      expect(agentTexts(tab)).toEqual(['You said: hello', 'proactive']);
    expect(tabB.of('message').filter((m) => m.direction === 'inbound')).toHaveLength(1);
  });

  it('streams across instances', async () => {
    const clock = createFakeClock();
    const store = createMemoryStore({ clock });
    const onMessage = async ({
      reply,
    }: {
      reply: (t: AsyncIterable<string>) => Promise<unknown>;
    }) => {
      async function* parts() {
        yield 'a';
        yield 'b';
      }
      await reply(parts());
    };
    const a = await startChatServer({ clock, store, instanceId: 'a', onMessage });
    const b = await startChatServer({ clock, store, instanceId: 'b', onMessage });
    servers.push(a, b);
    const tabA = await connect(a.url, await a.token('u1'));
    const tabB = await connect(b.url, await b.token('u1'));
    await tabA.say('go', 'c-1');
    const end = await tabB.next('stream_end');
    expect(end.text).toBe('ab');
    expect(tabB.of('stream').map((frame) => frame.delta)).toEqual(['a', 'b']);
    expect((await tabA.next('stream_end')).deliveryId).toBe(end.deliveryId);
  });
});
