import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type AgentTurn,
  createThreadline,
  DeliveryError,
  OptedOutError,
  type Threadline,
} from '@threadline/core';
import { startTwilioEmulator, type TwilioEmulator } from '@threadline/emulators';
import { createMemoryStore } from '@threadline/store-memory';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTwilioSmsAdapter } from '../src/index';
import { ACCOUNT_SID, AUTH_TOKEN, SENDER } from './twilio-api';

/**
 * End to end, no mocks: `createThreadline` served over real HTTP, the adapter's twilio-node
 * client talking to `@threadline/emulators`' Twilio, and the emulator posting signed webhooks
 * and status callbacks back to the app.
 */

const ANN = '+15558675310';

let emulator: TwilioEmulator;
let threadline: Threadline;
let server: Server;
let turns: AgentTurn[];
let errors: unknown[];

beforeEach(async () => {
  turns = [];
  errors = [];
  emulator = await startTwilioEmulator({
    accountSid: ACCOUNT_SID,
    authToken: AUTH_TOKEN,
    numbers: [SENDER],
    statusDelaysMs: { sent: 1, delivered: 1 },
  });
  server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sms = createTwilioSmsAdapter({
    id: 'sms',
    accountSid: ACCOUNT_SID,
    authToken: AUTH_TOKEN,
    from: SENDER,
    baseUrl: emulator.url,
    webhookUrl: `${appUrl}/webhooks/sms`,
    rate: { perSecond: 1_000 },
  });
  threadline = createThreadline({
    store: createMemoryStore(),
    adapters: [sms],
    outbox: { pollIntervalMs: 3_600_000 },
    jobs: { pollIntervalMs: 3_600_000 },
    onMessage: async (turn) => {
      turns.push(turn);
      if (turn.message.text === 'menu') {
        await turn.reply('Which one?\n::: actions\n- Tea\n- Coffee\n:::');
      } else {
        await turn.reply(`You said: ${turn.message.payload ?? turn.message.text}`);
      }
    },
    onError: (error) => errors.push(error),
  });
  server.on('request', threadline.toNodeHandler());
  await threadline.start();
  emulator.setWebhookUrl(`${appUrl}/webhooks/sms`);
});

afterEach(async () => {
  await threadline.stop();
  await emulator.stop();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  expect(errors).toEqual([]);
});

async function settle() {
  await threadline.idle();
  await emulator.idle();
  await threadline.idle();
}

const inbox = () =>
  emulator
    .phone(ANN)
    .inbox()
    .map((message) => message.body);

describe('SMS through the Twilio emulator', () => {
  it('a text wakes the agent, whose reply reaches the phone and ends delivered', async () => {
    await emulator.phone(ANN).send('hello');
    await settle();
    expect(turns.map((turn) => turn.message.text)).toEqual(['hello']);
    expect(inbox()).toEqual(['You said: hello']);
    const [delivery] = await threadline.deliveries.list();
    expect(delivery?.status).toBe('delivered');
  });

  it('numbered choices: "2" comes back as the second action', async () => {
    await emulator.phone(ANN).send('menu');
    await settle();
    expect(inbox()).toEqual(['Which one?\n\n1. Tea\n2. Coffee']);
    await emulator.phone(ANN).send('2');
    await settle();
    expect(turns.at(-1)?.message).toMatchObject({ text: '2', payload: 'Coffee' });
    expect(inbox().at(-1)).toBe('You said: Coffee');
  });

  it('STOP: Twilio auto-replies, the core refuses the next send; START lifts it', async () => {
    await emulator.phone(ANN).send('STOP');
    await settle();
    expect(inbox()).toEqual([expect.stringContaining('successfully been unsubscribed')]);
    expect(turns).toEqual([]);
    const before = emulator.messages().length;
    await expect(
      threadline.channels.send({ channel: 'sms', to: { phoneNumber: ANN }, text: 'Sale!' }),
    ).rejects.toBeInstanceOf(OptedOutError);
    expect(emulator.messages()).toHaveLength(before);

    await emulator.phone(ANN).send('START');
    await settle();
    await threadline.channels.send({
      channel: 'sms',
      to: { phoneNumber: ANN },
      text: 'Welcome back',
    });
    await settle();
    expect(inbox().at(-1)).toBe('Welcome back');
  });

  it('a STOP the app never heard of: Twilio answers 21610, the opt-out is recorded, the next send never leaves', async () => {
    emulator.setWebhookUrl('http://127.0.0.1:9/unreachable');
    await emulator.phone(ANN).send('stop');
    const refused = await threadline.channels
      .send({ channel: 'sms', to: { phoneNumber: ANN }, text: 'Reminder' })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DeliveryError);
    expect(refused).toMatchObject({ category: 'opted_out', providerCode: '21610' });
    await expect(
      threadline.channels.send({ channel: 'sms', to: { phoneNumber: ANN }, text: 'Again' }),
    ).rejects.toBeInstanceOf(OptedOutError);
  });

  it('a carrier failure on demand ends the delivery failed with its code', async () => {
    emulator.phone(ANN).failNext(30006);
    const result = await threadline.channels.send({
      channel: 'sms',
      to: { phoneNumber: ANN },
      text: 'Your code is 1234',
    });
    await settle();
    const delivery = await threadline.deliveries.get(result.deliveryId);
    expect(delivery).toMatchObject({
      status: 'failed',
      error: { category: 'unreachable', providerCode: '30006' },
    });
  });
});
