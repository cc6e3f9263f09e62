import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type AgentTurn,
  createThreadline,
  NotReachableError,
  type Threadline,
} from '@threadline/core';
import { createTeamsEmulator, type TeamsEmulator } from '@threadline/emulators';
import { createMemoryStore } from '@threadline/store-memory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTeamsAdapter } from '../src/index';

/**
 * End to end through `createThreadline` against `@threadline/emulators`' Teams stand-in: real
 * HTTP both ways, tokens signed by the emulator's key and verified by botbuilder, the bot's own
 * token from the emulator's token endpoint, sends recorded by its Bot Connector.
 */

const APP_ID = '9a1b2c3d-0000-4000-8000-00000000b07f';
let teams: TeamsEmulator;
let threadline: Threadline;
let server: Server;
const turns: AgentTurn[] = [];

beforeAll(async () => {
  teams = createTeamsEmulator({ appId: APP_ID, appPassword: 'emulator-secret' });
  await teams.start();
  const adapter = createTeamsAdapter({
    ...teams.adapterOptions(),
    id: 'teams',
    cardActions: 'execute',
  });
  threadline = createThreadline({
    store: createMemoryStore(),
    adapters: [adapter],
    outbox: { pollIntervalMs: 3_600_000 },
    jobs: { pollIntervalMs: 3_600_000 },
    onMessage: async (turn) => {
      turns.push(turn);
      if (turn.message.payload) await turn.reply(`Booked: ${turn.message.payload}`);
      else await turn.reply('When?\n::: actions\n- Today\n- Tomorrow\n:::');
    },
  });
  await threadline.start();
  server = createServer(threadline.toNodeHandler());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  teams.setBotUrl(`http://127.0.0.1:${port}/webhooks/teams`);
});

afterAll(async () => {
  await threadline.stop();
  await new Promise((resolve) => server.close(resolve));
  await teams.stop();
});

const sendTo = (name: string, text: string) =>
  threadline.channels.send({
    channel: 'teams',
    to: { conversationId: teams.person(name).id },
    text,
  });

describe('Teams end to end against the emulator', () => {
  it('refuses a proactive send before the install, with nothing reaching the connector', async () => {
    const user = await threadline.users.create({ displayName: 'Ann' });
    await threadline.users.link({
      userId: user.id,
      channel: 'teams',
      address: teams.person('Ann').id,
    });
    await expect(
      threadline.channels.send({ channel: 'teams', to: { userId: user.id }, text: 'Hi Ann' }),
    ).rejects.toBeInstanceOf(NotReachableError);
    expect(teams.sent('Ann')).toEqual([]);
  });

  it('delivers a proactive send after Ann installs the app', async () => {
    expect((await teams.install('Ann')).status).toBe(200);
    const result = await sendTo('Ann', 'Welcome, Ann!');
    expect(result).toMatchObject({ delivered: true, status: 'sent' });
    expect(teams.sent('Ann').map((activity) => activity.text)).toEqual(['Welcome, Ann!']);
  });

  it('Ann writes, the agent answers with an Adaptive Card, and tapping a button reaches the agent', async () => {
    expect((await teams.write('Ann', 'book a slot')).status).toBe(200);
    await threadline.idle();
    const card = teams.sent('Ann').at(-1);
    expect(card).toMatchObject({
      attachments: [{ content: { type: 'AdaptiveCard', version: '1.5' } }],
    });
    const answer = await teams.tap('Ann', { activityId: String(card?.id), action: 1 });
    expect(answer).toMatchObject({
      status: 200,
      body: { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' },
    });
    await threadline.idle();
    expect(turns.at(-1)?.message).toMatchObject({ text: 'Tomorrow', payload: 'Tomorrow' });
    expect(teams.sent('Ann').at(-1)?.text).toBe('Booked: Tomorrow');
    const thread = await threadline.users.get(turns[0]?.user.id as string).thread();
    expect(thread.map((entry) => entry.text)).toContain('book a slot');
  });

  it('a Bot Connector 403 makes Ann unreachable; the next send is refused without a call', async () => {
    teams.failNext({ status: 403, code: 'BotNotInConversationRoster' });
    await expect(sendTo('Ann', 'ping')).rejects.toMatchObject({ category: 'unreachable' });
    const before = teams.sent('Ann').length;
    await expect(sendTo('Ann', 'ping again')).rejects.toBeInstanceOf(NotReachableError);
    expect(teams.sent('Ann')).toHaveLength(before);
  });

  it('after reinstalling and then removing the app, sends are refused again', async () => {
    await teams.install('Ann');
    expect((await sendTo('Ann', 'back again')).delivered).toBe(true);
    expect((await teams.uninstall('Ann')).status).toBe(200);
    await expect(sendTo('Ann', 'are you there?')).rejects.toBeInstanceOf(NotReachableError);
  });

  it('serves the chat page, and refuses an activity the emulator did not sign with 401', async () => {
    const page = await fetch(teams.chatPageUrl('Ann'));
    expect(page.headers.get('content-type')).toContain('text/html');
    const ann = teams.person('Ann');
    const forged = await threadline.fetch(
      new Request('http://bot.test/webhooks/teams', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer forged.token.value' },
        body: JSON.stringify({
          type: 'message',
          id: 'forged-1',
          serviceUrl: teams.serviceUrl,
          channelId: 'msteams',
          from: { id: ann.id, name: 'Mallory' },
          conversation: { id: ann.conversationId, conversationType: 'personal' },
          recipient: { id: `28:${APP_ID}` },
          text: 'transfer everything',
        }),
      }),
    );
    expect(forged.status).toBe(401);
    expect(turns.some((turn) => turn.message.text === 'transfer everything')).toBe(false);
  });
});
