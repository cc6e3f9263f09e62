import {
  type AgentTurn,
  createThreadline,
  NotReachableError,
  type Threadline,
} from '@threadline/core';
import { createMemoryStore } from '@threadline/store-memory';
import { createFakeClock } from '@threadline/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTeamsAdapter, type TeamsAdapter } from '../src/index';
import { baseOptions, useConnectorMock } from './connector';
import { botAddedPersonal, personalMessage } from './fixtures/activities';
import { activityRequest } from './requests';

/**
 * Warm-only reach through the real runtime (createThreadline + the memory store), the Bot
 * Connector mocked at the network edge: cold users are refused before any HTTP call, an install
 * makes them warm, an uninstall or a 403/404 makes them cold again.
 */

const connector = useConnectorMock();
const MEGAN = personalMessage.from.id;

let adapter: TeamsAdapter;
let clock: ReturnType<typeof createFakeClock>;
let threadline: Threadline;
let turns: AgentTurn[];
let errors: unknown[];

beforeEach(async () => {
  connector.reset();
  clock = createFakeClock();
  turns = [];
  errors = [];
  adapter = createTeamsAdapter({ ...baseOptions, id: 'teams', clock });
  threadline = createThreadline({
    store: createMemoryStore({ clock }),
    adapters: [adapter],
    clock,
    random: () => 0.5,
    outbox: { pollIntervalMs: 3_600_000 },
    jobs: { pollIntervalMs: 3_600_000 },
    onMessage: async (turn) => {
      turns.push(turn);
      await turn.reply(`You said: ${turn.message.text}`);
    },
    onError: (error) => errors.push(error),
  });
  await threadline.start();
});

afterEach(async () => {
  await threadline.stop();
  expect(errors).toEqual([]);
});

async function post(activity: object): Promise<void> {
  const request = await activityRequest(activity);
  const response = await threadline.fetch(
    new Request('https://agent.example.test/webhooks/teams', {
      method: 'POST',
      headers: request.headers,
      body: await request.text(),
    }),
  );
  expect(response.status).toBe(200);
  await threadline.idle();
}

const sendToMegan = (text: string) =>
  threadline.channels.send({ channel: 'teams', to: { conversationId: MEGAN }, text });

describe('warm-only reach on Teams', () => {
  it('refuses a cold user with the typed warm-only error and makes no HTTP call', async () => {
    const user = await threadline.users.create({ displayName: 'Megan' });
    await threadline.users.link({ userId: user.id, channel: 'teams', address: MEGAN });
    await expect(
      threadline.channels.send({ channel: 'teams', to: { userId: user.id }, text: 'Hi' }),
    ).rejects.toBeInstanceOf(NotReachableError);
    expect(connector.requests).toEqual([]);
  });

  it('after the install (conversationUpdate) a proactive send is delivered', async () => {
    await post(botAddedPersonal);
    connector.reset();
    const result = await sendToMegan('Your report is ready');
    expect(result).toMatchObject({ delivered: true, status: 'sent', messageId: '1:activity-1' });
    expect(connector.posted).toMatchObject([
      {
        conversationId: botAddedPersonal.conversation.id,
        body: { type: 'message', text: 'Your report is ready' },
      },
    ]);
  });

  it('a user who wrote is warm, and the agent’s reply goes back through the reference', async () => {
    await post(personalMessage);
    expect(turns).toHaveLength(1);
    expect(connector.posted.map((posted) => posted.body.text)).toEqual([
      'You said: Hello, is anyone there?',
    ]);
  });

  it('after the uninstall the next send is refused as unreachable, with no HTTP call', async () => {
    await post(botAddedPersonal);
    await post({
      ...botAddedPersonal,
      id: 'f:removed',
      membersAdded: undefined,
      membersRemoved: [{ id: botAddedPersonal.recipient.id }],
    });
    connector.reset();
    await expect(sendToMegan('Still there?')).rejects.toBeInstanceOf(NotReachableError);
    expect(connector.requests).toEqual([]);
  });

  it('a 403 (bot not in the roster) fails the delivery as unreachable and makes the user cold', async () => {
    await post(personalMessage);
    connector.reset();
    connector.fail(403, 'BotNotInConversationRoster');
    await expect(sendToMegan('Reminder')).rejects.toMatchObject({
      category: 'unreachable',
      httpStatus: 403,
    });
    const [delivery] = await threadline.deliveries.list();
    expect(delivery).toMatchObject({ status: 'failed', error: { category: 'unreachable' } });
    connector.reset();
    await expect(sendToMegan('Reminder again')).rejects.toBeInstanceOf(NotReachableError);
    expect(connector.requests).toEqual([]);
  });

  it('a 429 is retried by the outbox after Retry-After', async () => {
    await post(personalMessage);
    connector.reset();
    connector.fail(429, 'TooManyRequests', { retryAfter: '7' });
    const sentAt = clock.now();
    const first = await sendToMegan('Later');
    expect(first.delivered).toBe(false);
    const waiting = await threadline.deliveries.get(first.deliveryId);
    expect(waiting?.nextAttemptAt?.getTime()).toBeGreaterThanOrEqual(sentAt + 7_000);
    clock.advance(60_000);
    await threadline.runDue();
    await threadline.idle();
    expect((await threadline.deliveries.get(first.deliveryId))?.status).toBe('sent');
    expect(connector.posted.map((posted) => posted.body.text)).toEqual(['Later']);
  });
});
