import { HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { createTwilioSmsAdapter } from '../src/index';
import {
  ACCOUNT_SID,
  baseOptions,
  createdMessage,
  MESSAGING_SERVICE_SID,
  SENDER,
  useTwilioMock,
} from './twilio-api';
import { ANN } from './webhooks';

/** The Messages API as twilio-node calls it, seen at the network edge. */

const twilio = useTwilioMock();
const UK = '+447700900123';
let deliveries = 0;
const envelope = (to: string, extra: Record<string, unknown> = {}) => ({
  deliveryId: `d-${++deliveries}`,
  to: { address: to },
  ...extra,
});

describe('the request', () => {
  it('POSTs To/From/Body to api.twilio.com with basic auth (account SID and auth token)', async () => {
    twilio.reset();
    const sms = createTwilioSmsAdapter(baseOptions);
    const result = await sms.send(envelope(ANN, { text: 'Hello' }));
    expect(result).toEqual({ providerMessageId: `SM${'1'.padStart(32, '0')}`, status: 'accepted' });
    expect(twilio.messages).toEqual([
      {
        url: `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`,
        authorization: `Basic ${btoa(`${ACCOUNT_SID}:${baseOptions.authToken}`)}`,
        To: ANN,
        From: SENDER,
        Body: 'Hello',
        MediaUrl: [],
      },
    ]);
  });

  it('uses an API key when given, and region/edge in the host', async () => {
    twilio.reset();
    const apiKey = { sid: `SK${'c3'.repeat(16)}`, secret: 'key-secret' };
    const sms = createTwilioSmsAdapter({ ...baseOptions, apiKey, region: 'au1', edge: 'sydney' });
    await sms.send(envelope(ANN, { text: 'G’day' }));
    expect(twilio.messages[0]?.url).toBe(
      `https://api.sydney.au1.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`,
    );
    expect(twilio.messages[0]?.authorization).toBe(`Basic ${btoa(`${apiKey.sid}:key-secret`)}`);
  });

  it('baseUrl replaces the host (the emulator, a test double)', async () => {
    twilio.reset();
    const sms = createTwilioSmsAdapter({ ...baseOptions, baseUrl: 'http://127.0.0.1:4010/' });
    await sms.send(envelope(ANN, { text: 'local' }));
    expect(twilio.messages[0]?.url).toBe(
      `http://127.0.0.1:4010/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`,
    );
  });

  it('a Messaging Service picks the sender: MessagingServiceSid instead of From', async () => {
    twilio.reset();
    const sms = createTwilioSmsAdapter({
      accountSid: ACCOUNT_SID,
      authToken: baseOptions.authToken,
      messagingServiceSid: MESSAGING_SERVICE_SID,
    });
    expect(sms.id).toBe(`sms-${MESSAGING_SERVICE_SID}`);
    await sms.send(envelope(ANN, { text: 'via service' }));
    expect(twilio.messages[0]).toMatchObject({ MessagingServiceSid: MESSAGING_SERVICE_SID });
    expect(twilio.messages[0]?.From).toBeUndefined();
  });

  it('several numbers: each recipient always gets the same one', async () => {
    twilio.reset();
    const from = ['+15017122661', '+15017122662', '+15017122663'];
    const sms = createTwilioSmsAdapter({ ...baseOptions, from });
    const recipients = ['+15558675310', '+15558675311', '+15558675312', '+15558675313'];
    for (const to of [...recipients, ...recipients]) await sms.send(envelope(to, { text: 'x' }));
    const senders = twilio.messages.map((message) => message.From);
    expect(senders.slice(0, 4)).toEqual(senders.slice(4));
    expect(senders.every((sender) => from.includes(sender as string))).toBe(true);
  });
});

describe('media', () => {
  const media = [
    { kind: 'image' as const, url: 'https://cdn.example.test/menu.jpg', caption: 'Menu' },
    { kind: 'image' as const, url: 'https://cdn.example.test/map.png' },
  ];

  it('US and CA numbers get MMS: MediaUrl for each file, captions as the body', async () => {
    twilio.reset();
    const sms = createTwilioSmsAdapter(baseOptions);
    await sms.send(envelope('+16045550123', { text: 'Here you go', media }));
    expect(twilio.messages).toMatchObject([
      { Body: 'Here you go', MediaUrl: [] },
      { Body: 'Menu', MediaUrl: media.map((item) => item.url) },
    ]);
  });

  it('elsewhere (and to Caribbean +1 numbers) the files go as links in the text', async () => {
    twilio.reset();
    const sms = createTwilioSmsAdapter(baseOptions);
    await sms.send(envelope(UK, { media }));
    await sms.send(envelope('+18765550123', { media }));
    const body = 'Menu: https://cdn.example.test/menu.jpg\nhttps://cdn.example.test/map.png';
    expect(twilio.messages).toMatchObject([
      { Body: body, MediaUrl: [] },
      { Body: body, MediaUrl: [] },
    ]);
  });
});

describe('long text', () => {
  it('splits past 1,600 characters at word breaks, and a retry resumes after the parts already sent', async () => {
    twilio.reset();
    const sms = createTwilioSmsAdapter(baseOptions);
    const words = Array.from({ length: 500 }, (_, i) => `word${i}`);
    const message = envelope(ANN, { text: words.join(' ') });
    // The first part goes through; the second meets a 503.
    twilio.respondWith((_request, form) =>
      HttpResponse.json(createdMessage('SMfirst', form), { status: 201 }),
    );
    twilio.respondWith(() => new Response('unavailable', { status: 503 }));
    await expect(sms.send(message)).rejects.toMatchObject({
      category: 'provider',
      retryable: true,
    });

    const retried = await sms.send(message);
    expect(retried.providerMessageIds?.[0]).toBe('SMfirst');
    const bodies = twilio.messages.map((m) => m.Body as string);
    expect(bodies.every((body) => body.length <= 1_600)).toBe(true);
    // The retry sent only the parts after the first.
    expect(retried.providerMessageIds).toHaveLength(bodies.length + 1);
    expect(bodies.length).toBeGreaterThanOrEqual(2);
  });
});
