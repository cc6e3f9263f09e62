import { ConfigError } from '@threadline/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createTwilioSmsAdapter } from '../src/index';
import { ACCOUNT_SID, AUTH_TOKEN, MESSAGING_SERVICE_SID, SENDER } from './twilio-api';

const configError = (input: Parameters<typeof createTwilioSmsAdapter>[0]) => {
  try {
    createTwilioSmsAdapter(input);
  } catch (error) {
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
};

afterEach(() => {
  delete process.env.TWILIO_ACCOUNT_SID;
  delete process.env.TWILIO_AUTH_TOKEN;
});

describe('options', () => {
  it('need a sender or a Messaging Service, and say so', () => {
    const error = configError({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain('from');
    expect(error.message).toContain('messagingServiceSid');
  });

  it('name each bad option', () => {
    const error = configError({
      accountSid: 'AC123',
      authToken: AUTH_TOKEN,
      from: ['+15017122661', 'not a sender!'],
      statusCallbacks: true,
    });
    expect(error.message).toContain('accountSid');
    expect(error.message).toContain('from');
    expect(error.message).toContain('statusCallbacks');
  });

  it('fall back to TWILIO_* environment variables for what is not given', () => {
    process.env.TWILIO_ACCOUNT_SID = ACCOUNT_SID;
    process.env.TWILIO_AUTH_TOKEN = AUTH_TOKEN;
    const sms = createTwilioSmsAdapter({ from: SENDER });
    expect(sms.id).toBe(`sms-${SENDER}`);
    expect(sms.capabilities.rate.perSecond).toBe(1);
  });

  it('take custom keywords into the capabilities (Advanced Opt-Out)', () => {
    const sms = createTwilioSmsAdapter({
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      messagingServiceSid: MESSAGING_SERVICE_SID,
      keywords: { stop: ['STOP', 'ARRET'] },
    });
    expect(sms.capabilities.optOut).toEqual({
      stop: ['STOP', 'ARRET'],
      start: ['START', 'YES', 'UNSTOP'],
      help: ['HELP', 'INFO'],
    });
  });
});
