import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AgentTurn, createThreadline, type Threadline } from '@threadline/core';
import { createMessengerEmulator, type MessengerEmulator } from '@threadline/emulators';
import { createMemoryStore } from '@threadline/store-memory';
import { createFakeClock, type FakeClock } from '@threadline/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMetaMessengerAdapter, type MetaMessengerAdapter } from '../src/index';

/**
 * End to end: the real adapter against `@threadline/emulators`' Messenger emulator, over real
 * HTTP both ways (Send API calls out, signed webhooks in), inside `createThreadline`. One fake
 * clock drives the runtime and the emulator, so the 24-hour window is the same on both sides.
 */

const HOUR = 3_600_000;
const PAGE_ID = '107000000000001';
const IG_ID = '17841400000000001';
const secrets = { pageAccessToken: 'page-token', appSecret: 'app-secret', verifyToken: 'verify' };

let clock: FakeClock;
let emulator: MessengerEmulator;
let messenger: MetaMessengerAdapter;
let instagram: MetaMessengerAdapter;
let threadline: Threadline;
let server: Server;
let turns: AgentTurn[];
let errors: unknown[];

beforeEach(async () => {
  clock = createFakeClock(Date.parse('2026-12-02T09:00:00Z'));
  turns = [];
  errors = [];
  emulator = createMessengerEmulator({
    pageId: PAGE_ID,
    instagramAccountId: IG_ID,
    ...secrets,
    clock,
  });
  await emulator.start();
  const common = {
    ...secrets,
    pageId: PAGE_ID,
    appId: '1517776481860111',
    baseUrl: emulator.url,
    clock,
    rate: { perSecond: 1_000 },
  };
  messenger = createMetaMessengerAdapter({ ...common, messageTags: ['HUMAN_AGENT'] });
  instagram = createMetaMessengerAdapter({
    ...common,
    platform: 'instagram',
    instagramAccountId: IG_ID,
  });
  threadline = createThreadline({
    store: createMemoryStore({ clock }),
    adapters: [messenger, instagram],
    clock,
    random: () => 0.5,
    outbox: { pollIntervalMs: 3_600_000 },
    jobs: { pollIntervalMs: 3_600_000 },
    onMessage: async (turn) => {
      turns.push(turn);
      if (turn.message.text === 'menu?')
        await turn.reply('Pick one:\n::: actions\n- Pasta\n- Salad\n:::');
      else await turn.reply(`You said: ${turn.message.text}`);
    },
    onError: (error) => errors.push(error),
  });
  await threadline.start();
  server = createServer(threadline.toNodeHandler());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`;
  emulator.setWebhookUrl(`${base}/${messenger.id}`, 'page');
  emulator.setWebhookUrl(`${base}/${instagram.id}`, 'instagram');
});

afterEach(async () => {
  await threadline.stop();
  await emulator.stop();
  await new Promise((resolve) => server.close(resolve));
  expect(errors).toEqual([]);
});

async function settle() {
  await emulator.idle();
  await threadline.idle();
  await emulator.idle();
}

describe('Messenger and Instagram end to end against the emulator', () => {
  it('passes the hub.challenge handshake for both objects', async () => {
    expect((await emulator.verifyWebhook('verify', 'page')).ok).toBe(true);
    expect((await emulator.verifyWebhook('verify', 'instagram')).ok).toBe(true);
    expect((await emulator.verifyWebhook('wrong', 'page')).ok).toBe(false);
  });

  it('Ann writes on Messenger, the agent answers, and the watermarks move the delivery to read', async () => {
    const ann = emulator.person({ name: 'Ann' });
    await ann.send('hello');
    await settle();
    expect(turns.map((t) => [t.message.channel, t.message.text])).toEqual([['messenger', 'hello']]);
    expect(ann.inbox().map((e) => e.text)).toEqual(['You said: hello']);
    const [delivery] = await threadline.deliveries.list();
    expect(delivery?.status).toBe('delivered');
    await ann.read();
    await settle();
    expect((await threadline.deliveries.get(delivery?.id as string))?.status).toBe('read');
    // The echo of the agent's own reply is not recorded a second time.
    const thread = await threadline.users.get(turns[0]?.user.id as string).thread();
    expect(thread.map((e) => [e.direction, e.text])).toEqual([
      ['inbound', 'hello'],
      ['outbound', 'You said: hello'],
    ]);
  });

  it('quick replies go out natively and a tap comes back with its payload', async () => {
    const ann = emulator.person({ name: 'Ann' });
    await ann.send('menu?');
    await settle();
    expect(ann.inbox()[0]?.message?.quick_replies).toHaveLength(2);
    await ann.tap('Salad');
    await settle();
    expect(turns[1]?.message).toMatchObject({ text: 'Salad', payload: 'Salad' });
  });

  it('a proactive send before she wrote is refused; after 25 h Messenger uses HUMAN_AGENT, past 7 days it is held until she writes', async () => {
    const user = await threadline.users.create({});
    await expect(
      threadline.channels.send({ channel: 'messenger', to: { userId: user.id }, text: 'cold' }),
    ).rejects.toThrow(/warm-only/);

    const ann = emulator.person({ name: 'Ann' });
    await ann.send('hi');
    await settle();
    const annId = turns[0]?.user.id as string;
    clock.advance(25 * HOUR);
    const tagged = await threadline.channels.send({
      channel: 'messenger',
      to: { userId: annId },
      text: 'A person here',
    });
    expect(tagged.delivered).toBe(true);
    expect(ann.inbox().at(-1)).toMatchObject({ text: 'A person here', tag: 'HUMAN_AGENT' });

    clock.advance(7 * 24 * HOUR);
    const held = await threadline.channels.send({
      channel: 'messenger',
      to: { userId: annId },
      text: 'Your table is ready',
    });
    expect(held).toMatchObject({ queued: true, delivered: false });
    expect(ann.inbox().map((e) => e.text)).not.toContain('Your table is ready');
    await ann.send('back!');
    await settle();
    await threadline.runDue();
    await settle();
    expect(ann.inbox().map((e) => e.text)).toContain('Your table is ready');
  });

  it('a person answering from the Page inbox is recorded once as a human agent and never resent', async () => {
    const ann = emulator.person({ name: 'Ann' });
    await ann.send('is anyone there?');
    await settle();
    await emulator.pageReply(ann.id, 'Sam here, I will help');
    await settle();
    await threadline.runDue();
    const thread = await threadline.users.get(turns[0]?.user.id as string).thread();
    expect(thread.map((e) => [e.direction, e.text, e.metadata?.author])).toEqual([
      ['inbound', 'is anyone there?', undefined],
      ['outbound', 'You said: is anyone there?', undefined],
      ['outbound', 'Sam here, I will help', 'human-agent'],
    ]);
    expect(ann.inbox().filter((e) => e.text === 'Sam here, I will help')).toHaveLength(1);
  });

  it('Bo on Instagram: the same flow on object "instagram", read by messaging_seen, held past 24 h (no tag)', async () => {
    const bo = emulator.person({ platform: 'instagram', name: 'Bo' });
    await bo.send('hey');
    await settle();
    expect(turns[0]?.message.channel).toBe('instagram');
    expect(bo.inbox().map((e) => e.text)).toEqual(['You said: hey']);
    await bo.read();
    await settle();
    const [delivery] = await threadline.deliveries.list();
    expect(delivery?.status).toBe('read');
    clock.advance(25 * HOUR);
    const held = await threadline.channels.send({
      channel: 'instagram',
      to: { userId: turns[0]?.user.id as string },
      text: 'later',
    });
    expect(held.queued).toBe(true);
  });

  it('the emulator refuses a send past the window itself (10/2018278), which the core holds', async () => {
    const ann = emulator.person({ name: 'Ann' });
    await ann.send('hi');
    await settle();
    // The emulator's clock runs ahead of the runtime's: Meta closes the window first.
    emulator.advanceTime(8 * 24 * HOUR);
    const result = await threadline.channels.send({
      channel: 'messenger',
      to: { userId: turns[0]?.user.id as string },
      text: 'too late',
    });
    expect(result).toMatchObject({ queued: true, delivered: false });
  });
});
