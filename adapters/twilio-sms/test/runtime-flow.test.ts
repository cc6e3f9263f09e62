import { createMemoryStore } from '@threadline/store-memory';
import { createFakeClock } from '@threadline/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createTwilioSmsAdapter } from '../src/index';
import { startRuntime, type TestRuntime } from './runtime';
import { baseOptions, useTwilioMock } from './twilio-api';
import { ANN, inboundSms, statusCallback } from './webhooks';

/** Status callbacks and numbered choices inside the real runtime (`createThreadline`). */

const twilio = useTwilioMock();
let runtimes: TestRuntime[] = [];
let inbound = 0;
const sid = () => `SM${String(++inbound).padStart(32, '7')}`;

afterEach(async () => {
  for (const runtime of runtimes) {
    await runtime.threadline.stop();
    expect(runtime.errors).toEqual([]);
  }
  runtimes = [];
  twilio.reset();
});

const adapter = () =>
  createTwilioSmsAdapter({
    ...baseOptions,
    id: 'sms',
    webhookUrl: 'https://agent.example.test/webhooks/sms',
    rate: { perSecond: 1_000 },
  });

describe('status callbacks', () => {
  it.each([
    [['delivered', 'sent', 'queued'], 'delivered'],
    [['sent', 'delivered', 'sent'], 'delivered'],
    [['queued', 'undelivered', 'sent'], 'failed'],
  ])('%j ends at %s, and Twilio was asked to call back', async (order, final) => {
    const sms = adapter();
    const runtime = await startRuntime(() => [sms]);
    runtimes.push(runtime);
    const result = await runtime.threadline.channels.send({
      channel: 'sms',
      to: { phoneNumber: ANN },
      text: 'Your table is ready',
    });
    expect(twilio.messages[0]?.StatusCallback).toBe('https://agent.example.test/webhooks/sms');
    const messageSid = result.messageId as string;
    for (const status of order) {
      await runtime.post(
        sms,
        statusCallback(messageSid, status, status === 'undelivered' ? { ErrorCode: '30003' } : {}),
      );
    }
    const delivery = await runtime.threadline.deliveries.get(result.deliveryId);
    expect(delivery?.status).toBe(final);
    if (final === 'failed') expect(delivery?.error).toMatchObject({ providerCode: '30003' });
  });
});

describe('numbered choices', () => {
  const offerChoices = async (turn: {
    message: { text: string };
    reply(text: string): Promise<unknown>;
  }) => {
    if (turn.message.text === 'menu') {
      await turn.reply('What would you like?\n::: actions\n- Tea\n- Coffee\n:::');
    }
  };

  it('sends actions as a numbered list, and "2" comes back with the second action as payload, also after a restart', async () => {
    const clock = createFakeClock();
    const store = createMemoryStore({ clock });
    const first = await startRuntime(() => [adapter()], offerChoices, store, clock);
    runtimes.push(first);
    await first.post(adapter(), inboundSms('menu', sid()));
    expect(twilio.messages.at(-1)?.Body).toBe('What would you like?\n\n1. Tea\n2. Coffee');

    await first.post(adapter(), inboundSms('2', sid()));
    expect(first.turns.at(-1)?.message).toMatchObject({ text: '2', payload: 'Coffee' });

    // Another instance (or this one after a restart) reads the offer from the same store.
    await first.threadline.stop();
    runtimes = [];
    const second = await startRuntime(() => [adapter()], offerChoices, store, clock);
    runtimes.push(second);
    await second.post(adapter(), inboundSms(' 1 ', sid()));
    expect(second.turns.at(-1)?.message).toMatchObject({ payload: 'Tea' });
  });

  it('a number with no such choice, or after a message without actions, carries no payload', async () => {
    const runtime = await startRuntime(
      () => [adapter()],
      async (turn) => {
        if (turn.message.text === 'menu') await offerChoices(turn);
        else await turn.reply('Noted.');
      },
    );
    runtimes.push(runtime);
    await runtime.post(adapter(), inboundSms('menu', sid()));
    await runtime.post(adapter(), inboundSms('3', sid()));
    expect(runtime.turns.at(-1)?.message.payload).toBeUndefined();
    await runtime.post(adapter(), inboundSms('1', sid()));
    expect(runtime.turns.at(-1)?.message.payload).toBeUndefined();
  });
});
