import { describe, expect, it } from 'vitest';
import { createTwilioSmsAdapter } from '../src/index';
import { recordingContext } from './recording-sink';
import { baseOptions } from './twilio-api';
import { ANN, inboundSms, signedRequest, statusCallback, WEBHOOK_URL } from './webhooks';

/**
 * Every inbound shape from Twilio's documented parameters: text, MMS, Advanced Opt-Out's
 * `OptOutType`, HELP, and status callbacks with each delivery error code.
 * Sources: https://www.twilio.com/docs/messaging/guides/webhook-request,
 * https://www.twilio.com/docs/messaging/tutorials/advanced-opt-out,
 * https://www.twilio.com/docs/messaging/guides/track-outbound-message-status
 */

const SID = 'SM00000000000000000000000000000042';

async function deliver(params: Record<string, string>, options: { helpReply?: string } = {}) {
  const adapter = createTwilioSmsAdapter({ ...baseOptions, id: 'sms', ...options });
  const context = recordingContext(WEBHOOK_URL);
  const response = await adapter.handleWebhook(signedRequest(params), context);
  return { response, events: context.events, twiml: await response.text() };
}

describe('incoming messages', () => {
  it('a text: From as Twilio sent it (E.164), the body, and the To number in metadata; answered <Response/>', async () => {
    const { response, events, twiml } = await deliver(inboundSms('Hello 👋', SID));
    expect(response.headers.get('content-type')).toBe('text/xml');
    expect(twiml).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    expect(events).toEqual([
      {
        type: 'message',
        adapterId: 'sms',
        channel: 'sms',
        message: {
          providerMessageId: SID,
          from: { address: ANN },
          timestamp: expect.any(Date),
          text: 'Hello 👋',
          metadata: { To: baseOptions.from, NumSegments: '1', FromCountry: 'US' },
        },
      },
    ]);
  });

  it('an MMS: every MediaUrlN with its content type, downloadable with the account credentials', async () => {
    const media = 'https://api.twilio.com/2010-04-01/Accounts/AC…/Messages/MM…/Media';
    const { events } = await deliver(
      inboundSms('', SID, {
        NumMedia: '2',
        MediaUrl0: `${media}/ME1`,
        MediaContentType0: 'image/jpeg',
        MediaUrl1: `${media}/ME2`,
        MediaContentType1: 'application/pdf',
      }),
    );
    expect(events[0]).toMatchObject({
      type: 'message',
      message: {
        text: '',
        media: [
          { kind: 'image', url: `${media}/ME1`, mimeType: 'image/jpeg' },
          { kind: 'document', url: `${media}/ME2`, mimeType: 'application/pdf' },
        ],
      },
    });
  });

  it('OptOutType=STOP (Advanced Opt-Out): an opt-out event first, then the message', async () => {
    const { events } = await deliver(inboundSms('stop', SID, { OptOutType: 'STOP' }));
    expect(events.map((event) => event.type)).toEqual(['opt-out', 'message']);
    expect(events[0]).toMatchObject({
      from: { address: ANN },
      keyword: 'stop',
      providerMessageId: SID,
    });
  });

  it('OptOutType=START: an opt-in event first, then the message', async () => {
    const { events } = await deliver(inboundSms('unstop', SID, { OptOutType: 'START' }));
    expect(events.map((event) => event.type)).toEqual(['opt-in', 'message']);
  });

  it('HELP is answered with the configured reply in TwiML', async () => {
    const { twiml, events } = await deliver(inboundSms('help', SID), {
      helpReply: 'Acme alerts: reply STOP to stop. Msg&data rates may apply.',
    });
    expect(twiml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Message>Acme alerts: reply STOP to stop. Msg&amp;data rates may apply.</Message></Response>',
    );
    expect(events.map((event) => event.type)).toEqual(['message']);
  });

  it('HELP that Advanced Opt-Out already answered (OptOutType=HELP) gets an empty <Response/>', async () => {
    const { twiml } = await deliver(inboundSms('INFO', SID, { OptOutType: 'HELP' }), {
      helpReply: 'Acme alerts',
    });
    expect(twiml).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
  });

  it('"help me please" is not a keyword: no help reply', async () => {
    const { twiml } = await deliver(inboundSms('help me please', SID), { helpReply: 'Acme' });
    expect(twiml).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
  });

  it('an event for another account is unsupported, not a message', async () => {
    const { events } = await deliver(inboundSms('hi', SID, { AccountSid: `AC${'f'.repeat(32)}` }));
    expect(events).toMatchObject([{ type: 'unsupported' }]);
  });

  it('a body without MessageSid is refused as 400', async () => {
    const { response, events } = await deliver({ From: ANN, Body: 'hi' });
    expect(response.status).toBe(400);
    expect(events).toEqual([]);
  });
});

describe('status callbacks', () => {
  it.each([
    ['queued', 'accepted'],
    ['sending', 'accepted'],
    ['sent', 'sent'],
    ['delivered', 'delivered'],
  ])('%s → %s', async (twilioStatus, status) => {
    const { events } = await deliver(statusCallback(SID, twilioStatus));
    expect(events).toEqual([
      {
        type: 'status',
        adapterId: 'sms',
        channel: 'sms',
        providerMessageId: SID,
        status,
        timestamp: expect.any(Date),
        address: ANN,
      },
    ]);
  });

  it.each([
    ['undelivered', '30003', 'unreachable'],
    ['undelivered', '30005', 'unreachable'],
    ['undelivered', '30006', 'unreachable'],
    ['undelivered', '30007', 'compliance'],
    ['failed', '30008', 'provider'],
    ['failed', '21610', 'opted_out'],
    ['failed', '', 'unknown'],
  ])('%s with ErrorCode %s → failed, %s', async (twilioStatus, code, category) => {
    const { events } = await deliver(
      statusCallback(SID, twilioStatus, code === '' ? {} : { ErrorCode: code }),
    );
    expect(events[0]).toMatchObject({
      type: 'status',
      status: 'failed',
      error: { category, ...(code === '' ? {} : { providerCode: code }) },
    });
  });
});
