import { afterEach, describe, expect, it } from 'vitest';
import { CLOSE_CODES } from '../src/index';
import { agentTexts, type ChatServer, startChatServer, TestClient, upgradeStatus } from './helpers';

describe('web chat protocol over real sockets', () => {
  let server: ChatServer;
  const clients: TestClient[] = [];
  const client = async (...args: Parameters<typeof TestClient.connect>) => {
    const connected = await TestClient.connect(...args);
    clients.push(connected);
    return connected;
  };
  afterEach(async () => {
    for (const open of clients.splice(0)) open.ws.terminate();
    await server?.close();
  });

  const echoAgent = {
    async onMessage({
      message,
      reply,
    }: {
      message: { text: string };
      reply: (t: string) => Promise<unknown>;
    }) {
      await reply(`You said: ${message.text}`);
    },
  };

  describe('authentication', () => {
    it('answers a bad token with 401 before any WebSocket exists', async () => {
      server = await startChatServer();
      expect(await upgradeStatus(`${server.url}?token=not-a-token`)).toBe(401);
      expect(await upgradeStatus(server.url)).toBe(401);
      const other = (await server.token('u1')).split('.');
      const forged = `${other[0]}.${Buffer.from(JSON.stringify({ sub: 'u2', aud: 'threadline:webchat', iat: 0, exp: 9e9 })).toString('base64url')}.${other[2]}`;
      expect(await upgradeStatus(`${server.url}?token=${forged}`)).toBe(401);
      expect(server.webchat.connectionCount).toBe(0);
    });

    it('refuses an expired token, measured on the injected clock', async () => {
      server = await startChatServer();
      const token = await server.token('u1', 60);
      server.clock.advance(61_000);
      expect(await upgradeStatus(`${server.url}?token=${token}`)).toBe(401);
    });

    it('accepts a token in the Authorization header and welcomes the user it names', async () => {
      server = await startChatServer();
      const status = await upgradeStatus(server.url, {
        authorization: `Bearer ${await server.token('u1')}`,
      });
      expect(status).toBe(101);
      const tab = await client(server.url, { token: await server.token('member-7') });
      expect(tab.of('welcome')[0]).toMatchObject({
        userId: 'member-7',
        visitorId: 'user:member-7',
        protocol: 1,
        limits: { maxPayload: 65_536 },
      });
    });

    it('refuses an origin that is not allowed with 403', async () => {
      server = await startChatServer({ options: { allowedOrigins: ['https://shop.example'] } });
      const token = await server.token('u1');
      expect(
        await upgradeStatus(`${server.url}?token=${token}`, { origin: 'https://evil.example' }),
      ).toBe(403);
      expect(
        await upgradeStatus(`${server.url}?token=${token}`, { origin: 'https://shop.example' }),
      ).toBe(101);
    });

    it('leaves upgrade requests for other paths alone', async () => {
      server = await startChatServer();
      let other = 0;
      server.http.on('upgrade', (request, socket) => {
        if (request.url?.startsWith('/elsewhere')) {
          other += 1;
          socket.destroy();
        }
      });
      await upgradeStatus(`ws://127.0.0.1:${server.port}/elsewhere`).catch(() => 0);
      expect(other).toBe(1);
    });

    it('gives an anonymous visitor a token that keeps them the same user on reconnect', async () => {
      server = await startChatServer({ options: { allowAnonymous: true }, ...echoAgent });
      const first = await client(server.url);
      const welcome = first.of('welcome')[0];
      expect(welcome?.visitorId).toMatch(/^anon:/);
      expect(welcome?.token).toBeTypeOf('string');
      expect(welcome?.userId).toBeTypeOf('string');
      const ack = await first.say('hello', 'c1');
      first.close();

      const again = await client(server.url, { token: welcome?.token as string, lastSeq: 0 });
      const second = again.of('welcome')[0];
      expect(second?.userId).toBe(welcome?.userId);
      expect(second?.visitorId).toBe(welcome?.visitorId);
      await again.next('message', (m) => m.seq === ack.seq && m.clientMsgId === 'c1');
    });
  });

  describe('messages', () => {
    it('acknowledges a message with its seq, and a resend with the same id is recorded once', async () => {
      server = await startChatServer();
      const tab = await client(server.url, { token: await server.token('u1') });
      const first = await tab.say('hello', 'c-1');
      expect(first).toEqual({ type: 'ack', clientMsgId: 'c-1', seq: 1 });

      tab.send({ type: 'message', clientMsgId: 'c-1', text: 'hello' });
      const again = await tab.next('ack', (ack) => ack.duplicate === true);
      expect(again).toEqual({ type: 'ack', clientMsgId: 'c-1', seq: 1, duplicate: true });

      const thread = await server.threadline.users.get('u1').thread();
      expect(thread.map((entry) => entry.text)).toEqual(['hello']);
      expect(thread[0]?.providerMessageId).toBe('user:u1:c-1');
    });

    it('delivers the agent reply with its thread seq, after the ack', async () => {
      server = await startChatServer(echoAgent);
      const tab = await client(server.url, { token: await server.token('u1') });
      await tab.say('hi', 'c-1');
      const reply = await tab.next('message', (m) => m.direction === 'outbound');
      expect(reply).toMatchObject({
        seq: 2,
        text: 'You said: hi',
        parts: [{ type: 'text', text: 'You said: hi' }],
        channel: 'webchat',
      });
      expect(reply.deliveryId).toBeTypeOf('string');
      const order = tab.frames.map((frame) => frame.type);
      expect(order.indexOf('ack')).toBeLessThan(order.lastIndexOf('message'));
      const delivery = await server.threadline.deliveries.get(reply.deliveryId as string);
      expect(delivery?.status).toBe('sent');
    });

    it('sends parsed components the widget renders', async () => {
      server = await startChatServer({
        async onMessage({ reply }) {
          await reply(
            'Pick one:\n::: actions\n- Yes\n- No\n:::\n::: navigate\n![navigate](/orders?id=7)\n:::',
          );
        },
      });
      const tab = await client(server.url, { token: await server.token('u1') });
      await tab.say('options?', 'c-1');
      const reply = await tab.next('message', (m) => m.direction === 'outbound');
      expect(reply.parts).toEqual([
        { type: 'text', text: 'Pick one:' },
        { type: 'actions', actions: [{ label: 'Yes' }, { label: 'No' }] },
        { type: 'navigate', path: '/orders', query: { id: '7' } },
      ]);
    });

    it('passes typing on to the host, throttled', async () => {
      server = await startChatServer();
      const typing: string[] = [];
      server.threadline.on('event.received', ({ event }) => {
        if (event.type === 'typing') typing.push(event.from.address);
      });
      const tab = await client(server.url, { token: await server.token('u1') });
      tab.send({ type: 'typing' });
      tab.send({ type: 'typing' });
      tab.send({ type: 'ping', id: 'p1' });
      await tab.next('pong', (pong) => pong.id === 'p1');
      expect(typing).toEqual(['user:u1']);
    });

    it('marks web chat deliveries read when the widget reports them seen', async () => {
      server = await startChatServer(echoAgent);
      const tab = await client(server.url, { token: await server.token('u1') });
      await tab.say('hi', 'c-1');
      const reply = await tab.next('message', (m) => m.direction === 'outbound');
      tab.send({ type: 'read', seq: reply.seq });
      await expect
        .poll(
          async () => (await server.threadline.deliveries.get(reply.deliveryId as string))?.status,
        )
        .toBe('read');
    });

    it("shows the agent's typing and read receipts", async () => {
      server = await startChatServer();
      const tab = await client(server.url, { token: await server.token('u1') });
      await tab.say('hi', 'c-9');
      await server.webchat.sendTyping?.({ to: { address: 'user:u1' } });
      await server.webchat.markRead?.({
        to: { address: 'user:u1' },
        providerMessageId: 'user:u1:c-9',
      });
      await tab.next('typing');
      expect(await tab.next('receipt')).toEqual({
        type: 'receipt',
        status: 'read',
        clientMsgId: 'c-9',
      });
    });

    it('streams a reply as deltas, then the whole message; the seq arrives with the next replay', async () => {
      server = await startChatServer({
        async onMessage({ reply }) {
          async function* words() {
            for (const word of ['Let me ', 'check… ', 'done.']) {
              await new Promise((resolve) => setImmediate(resolve));
              yield word;
            }
          }
          await reply(words());
        },
      });
      const tab = await client(server.url, { token: await server.token('u1') });
      await tab.say('status?', 'c-1');
      const end = await tab.next('stream_end');
      expect(tab.of('stream').map((frame) => [frame.index, frame.delta])).toEqual([
        [0, 'Let me '],
        [1, 'check… '],
        [2, 'done.'],
      ]);
      expect(end).toMatchObject({
        text: 'Let me check… done.',
        parts: [{ type: 'text', text: 'Let me check… done.' }],
      });
      await server.threadline.idle();

      const later = await client(server.url, { token: await server.token('u1'), lastSeq: 1 });
      const replayed = await later.next('message', (m) => m.deliveryId === end.deliveryId);
      expect(replayed).toMatchObject({ seq: 2, text: 'Let me check… done.', replay: true });
    });
  });

  describe('resume and fan-out', () => {
    it('stores a send to an offline user and replays it, and only what was missed, on reconnect', async () => {
      server = await startChatServer(echoAgent);
      const tab = await client(server.url, { token: await server.token('u1') });
      await tab.say('first', 'c-1');
      await tab.next('message', (m) => m.direction === 'outbound');
      tab.close();
      await tab.closed;

      const sent = await server.threadline.channels.send({
        channel: 'webchat',
        to: { userId: 'u1' },
        text: 'Your order shipped',
      });
      expect(sent).toMatchObject({ delivered: true, persisted: true, status: 'accepted' });

      const back = await client(server.url, { token: await server.token('u1'), lastSeq: 2 });
      expect(back.of('message').map((m) => [m.seq, m.text, m.replay])).toEqual([
        [3, 'Your order shipped', true],
      ]);
      expect(back.of('synced')[0]).toEqual({ type: 'synced', lastSeq: 3, reset: false });
    });

    it('sends the recent history to a client that connects without lastSeq', async () => {
      server = await startChatServer({ ...echoAgent, options: { historyLimit: 3 } });
      const tab = await client(server.url, { token: await server.token('u1') });
      await tab.say('one', 'c-1');
      await tab.next('message', (m) => m.text === 'You said: one');
      await tab.say('two', 'c-2');
      await tab.next('message', (m) => m.text === 'You said: two');

      const fresh = await client(server.url, { token: await server.token('u1') });
      expect(fresh.of('message').map((m) => m.seq)).toEqual([2, 3, 4]);
      expect(fresh.of('message')[1]).toMatchObject({ clientMsgId: 'c-2', direction: 'inbound' });
      expect(fresh.of('synced')[0]).toEqual({ type: 'synced', lastSeq: 4, reset: true });
    });

    it('resets a client whose lastSeq is ahead of the thread', async () => {
      server = await startChatServer(echoAgent);
      const tab = await client(server.url, { token: await server.token('u1') });
      await tab.say('one', 'c-1');
      const stale = await client(server.url, { token: await server.token('u1'), lastSeq: 99 });
      expect(stale.of('synced')[0]).toMatchObject({ reset: true });
      expect(stale.of('message').map((m) => m.seq)).toContain(1);
    });

    it('gives every message to every tab of the user, exactly once', async () => {
      server = await startChatServer(echoAgent);
      const token = await server.token('u1');
      const tabs = [
        await client(server.url, { token }),
        await client(server.url, { token }),
        await client(server.url, { token }),
      ];
      await tabs[0]?.say('hello', 'c-1');
      await server.threadline.channels.send({
        channel: 'webchat',
        to: { userId: 'u1' },
        text: 'proactive',
      });
      for (const tab of tabs) {
        await tab.next('message', (m) => m.text === 'proactive');
        await tab.next('message', (m) => m.text === 'You said: hello');
      }
      await server.threadline.idle();
      for (const tab of tabs)
        expect(agentTexts(tab).sort()).toEqual(['You said: hello', 'proactive']);
      // The sender's other tabs see what it sent; the sender has it already.
      expect(tabs[0]?.of('message').filter((m) => m.direction === 'inbound')).toEqual([]);
      expect(tabs[1]?.of('message').filter((m) => m.direction === 'inbound')).toMatchObject([
        { seq: 1, clientMsgId: 'c-1', text: 'hello' },
      ]);
    });

    it("never shows one user's thread to another", async () => {
      server = await startChatServer(echoAgent);
      const ann = await client(server.url, { token: await server.token('ann') });
      const bob = await client(server.url, { token: await server.token('bob') });
      await ann.say('ann secret', 'c-1');
      await bob.say('bob secret', 'c-1');
      await server.threadline.channels.send({
        channel: 'webchat',
        to: { userId: 'bob' },
        text: 'for bob',
      });
      await bob.next('message', (m) => m.text === 'for bob');
      await ann.next('message', (m) => m.text === 'You said: ann secret');
      await bob.next('message', (m) => m.text === 'You said: bob secret');
      await server.threadline.idle();

      const annAgain = await client(server.url, { token: await server.token('ann'), lastSeq: 0 });
      const everythingAnnSaw = [...ann.frames, ...annAgain.frames]
        .map((frame) => JSON.stringify(frame))
        .join();
      expect(everythingAnnSaw).not.toMatch(/bob/);
      // The same clientMsgId from two users is two messages.
      expect((await server.threadline.users.get('bob').thread()).map((e) => e.text)).toContain(
        'bob secret',
      );
    });
  });

  describe('limits', () => {
    it('closes a socket that sends an oversize frame with 1009, and stays healthy', async () => {
      server = await startChatServer(echoAgent);
      const big = await client(server.url, { token: await server.token('u1') });
      const other = await client(server.url, { token: await server.token('u2') });
      big.send({ type: 'message', clientMsgId: 'c-1', text: 'x'.repeat(70 * 1024) });
      expect((await big.closed).code).toBe(CLOSE_CODES.MESSAGE_TOO_BIG);
      expect(await other.say('still there?', 'c-1')).toMatchObject({ seq: 1 });
    });

    it('closes a flooding socket with 4429 and only that one', async () => {
      server = await startChatServer({ options: { rate: { burst: 10, perSecond: 1 } } });
      const flood = await client(server.url, { token: await server.token('u1') });
      const calm = await client(server.url, { token: await server.token('u1') });
      for (let index = 0; index < 50; index += 1) flood.send({ type: 'ping', id: String(index) });
      expect(await flood.closed).toEqual({
        code: CLOSE_CODES.RATE_LIMITED,
        reason: 'rate limited',
      });
      expect(flood.of('pong').length).toBeLessThanOrEqual(10);
      expect(await calm.say('fine', 'c-1')).toMatchObject({ seq: 1 });
    });

    it('closes a socket that sends a bad frame with 4400', async () => {
      server = await startChatServer();
      const notJson = await client(server.url, { token: await server.token('u1') });
      notJson.send('{not json');
      expect(await notJson.closed).toEqual({
        code: CLOSE_CODES.BAD_MESSAGE,
        reason: 'frame is not JSON',
      });
      const unknown = await client(server.url, { token: await server.token('u1') });
      unknown.send({ type: 'subscribe', topic: 'everything' });
      expect((await unknown.closed).code).toBe(CLOSE_CODES.BAD_MESSAGE);
      const badId = await client(server.url, { token: await server.token('u1') });
      badId.send({ type: 'message', clientMsgId: 'has spaces', text: 'x' });
      expect((await badId.closed).code).toBe(CLOSE_CODES.BAD_MESSAGE);
      const binary = await client(server.url, { token: await server.token('u1') });
      binary.ws.send(Buffer.from([1, 2, 3]));
      expect((await binary.closed).code).toBe(CLOSE_CODES.BAD_MESSAGE);
    });

    it('closes connections past maxConnectionsPerUser with 4409, leaving the others open', async () => {
      server = await startChatServer({ options: { maxConnectionsPerUser: 2 } });
      const token = await server.token('u1');
      const one = await client(server.url, { token });
      await client(server.url, { token });
      const third = new TestClient(server.url, { token });
      clients.push(third);
      expect((await third.closed).code).toBe(CLOSE_CODES.TOO_MANY_CONNECTIONS);
      expect(await one.say('ok', 'c-1')).toMatchObject({ seq: 1 });
      expect(server.webchat.connectionCount).toBe(2);
    });

    it('closes a connection with 4401 once its token expires', async () => {
      server = await startChatServer({ options: { heartbeatIntervalMs: 20 } });
      const tab = await client(server.url, { token: await server.token('u1', 60) });
      server.clock.advance(60_000);
      expect(await tab.closed).toEqual({ code: CLOSE_CODES.UNAUTHORIZED, reason: 'token expired' });
    });

    it('terminates a socket that stops answering protocol pings', async () => {
      server = await startChatServer({ options: { heartbeatIntervalMs: 25 } });
      const silent = await client(server.url, { token: await server.token('u1'), autoPong: false });
      const alive = await client(server.url, { token: await server.token('u2') });
      expect((await silent.closed).code).toBe(1006);
      await new Promise((resolve) => setTimeout(resolve, 80));
      expect(alive.ws.readyState).toBe(alive.ws.OPEN);
    });

    it('closes every socket with 1001 when the runtime stops', async () => {
      server = await startChatServer();
      const tab = await client(server.url, { token: await server.token('u1') });
      await server.threadline.stop();
      expect((await tab.closed).code).toBe(CLOSE_CODES.GOING_AWAY);
      expect(await upgradeStatus(`${server.url}?token=${await server.token('u1')}`)).toBe(503);
    });
  });
});
