import { OptedOutError } from '@threadline/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createTwilioSmsAdapter } from '../src/index';
import { startRuntime, type TestRuntime } from './runtime';
import { ACCOUNT_SID, AUTH_TOKEN, baseOptions, useTwilioMock } from './twilio-api';
import { ANN, inboundSms } from './webhooks';

/**
 * Consent end to end through `createThreadline`: STOP-family keywords are enforced by the core
 * from `capabilities.optOut`, keyed by (channel, address), so an opt-out holds for every number
 * the channel sends from; Twilio's 21610 records one too.
 */

const twilio = useTwilioMock();
let runtime: TestRuntime;
let inbound = 0;

afterEach(async () => {
  await runtime.threadline.stop();
  expect(runtime.errors).toEqual([]);
  twilio.reset();
});

const sid = () => `SM${String(++inbound).padStart(32, '9')}`;
const send = (text: string, channelIdentifier?: string) =>
  runtime.threadline.channels.send({
    channel: 'sms',
    to: { phoneNumber: ANN },
    text,
    ...(channelIdentifier ? { options: { channelIdentifier } } : {}),
  });

describe('opt-out keywords', () => {
  it('STOP → send refused with OptedOutError (nothing reaches Twilio) → START → send goes out', async () => {
    const sms = createTwilioSmsAdapter({ ...baseOptions, id: 'sms', rate: { perSecond: 1_000 } });
    runtime = await startRuntime(() => [sms]);

    await runtime.post(sms, inboundSms('Stop', sid()));
    const refused = await send('Your order shipped').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OptedOutError);
    expect(twilio.messages).toHaveLength(0);

    await runtime.post(sms, inboundSms('START', sid()));
    await send('Your order shipped');
    expect(twilio.messages.map((m) => m.Body)).toEqual(['Your order shipped']);
    // Keywords never wake the agent: the carrier answers them.
    expect(runtime.turns).toHaveLength(0);
  });

  it('an opt-out holds for every sender number of the channel, and HELP does not lift it', async () => {
    const first = createTwilioSmsAdapter({ ...baseOptions, id: 'sms-a', from: '+15017122661' });
    const second = createTwilioSmsAdapter({ ...baseOptions, id: 'sms-b', from: '+15017122662' });
    const pooled = createTwilioSmsAdapter({
      ...baseOptions,
      id: 'sms-pool',
      from: ['+15017122663', '+15017122664', '+15017122665'],
    });
    runtime = await startRuntime(() => [first, second, pooled]);

    await runtime.post(first, inboundSms('UNSUBSCRIBE', sid()));
    await runtime.post(second, inboundSms('help', sid()));
    for (const id of ['sms-a', 'sms-b', 'sms-pool']) {
      await expect(send('Reminder', id)).rejects.toBeInstanceOf(OptedOutError);
    }
    expect(twilio.messages).toHaveLength(0);

    await runtime.post(second, inboundSms('unstop', sid()));
    await send('Welcome back', 'sms-pool');
    expect(twilio.messages).toHaveLength(1);
  });

  it('Advanced Opt-Out: a custom keyword reported as OptOutType=STOP opts out', async () => {
    const sms = createTwilioSmsAdapter({ ...baseOptions, id: 'sms' });
    runtime = await startRuntime(() => [sms]);
    await runtime.post(sms, inboundSms('ARRET', sid(), { OptOutType: 'STOP' }));
    await expect(send('Bonjour')).rejects.toBeInstanceOf(OptedOutError);
    await runtime.post(sms, inboundSms('DEMARRER', sid(), { OptOutType: 'START' }));
    await send('Bonjour');
    expect(twilio.messages).toHaveLength(1);
  });
});

describe('21610 from Twilio', () => {
  it('fails the send as opted_out, never retried, and records the opt-out for the next send', async () => {
    const sms = createTwilioSmsAdapter({
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      from: '+15017122661',
      id: 'sms',
    });
    runtime = await startRuntime(() => [sms]);
    twilio.fail(400, 21610, { message: 'Attempt to send to unsubscribed recipient' });

    const first = await send('Are you there?').catch((error: unknown) => error);
    expect(first).toMatchObject({ category: 'opted_out', providerCode: '21610', retryable: false });
    const [delivery] = await runtime.threadline.deliveries.list();
    expect(delivery).toMatchObject({ status: 'failed' });

    await expect(send('Second try')).rejects.toBeInstanceOf(OptedOutError);
    expect(twilio.messages).toHaveLength(0);
  });
});
