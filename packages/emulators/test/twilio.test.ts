import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTwilioEmulator, type TwilioEmulator } from '../src/index';

/**
 * The Twilio emulator on the wire: the Messages API answers as Twilio documents it
 * (https://www.twilio.com/docs/messaging/api/message-resource), webhooks carry signatures
 * twilio-node accepts, and STOP leads to 21610.
 */

const ACCOUNT_SID = `AC${'a1'.repeat(16)}`;
const AUTH_TOKEN = 'emulator-token';
const NUMBER = '+15017122661';
const PHONE = '+15558675310';

let emulator: TwilioEmulator;
beforeEach(async () => {
  emulator = await startTwilioEmulator({
    accountSid: ACCOUNT_SID,
    authToken: AUTH_TOKEN,
    numbers: [NUMBER],
    statusDelaysMs: { sent: 1, delivered: 1 },
  });
});
afterEach(() => emulator.stop());

function create(form: Record<string, string>, auth = `${ACCOUNT_SID}:${AUTH_TOKEN}`) {
  return fetch(`${emulator.url}/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${btoa(auth)}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams(form).toString(),
  });
}

/** An app that records webhooks and checks each signature with twilio-node. */
async function startApp() {
  const received: Array<{ params: Record<string, string>; valid: boolean }> = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const params = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
    const url = `${base}${req.url}`;
    const signature = String(req.headers['x-twilio-signature'] ?? '');
    received.push({ params, valid: twilio.validateRequest(AUTH_TOKEN, signature, url, params) });
    res
      .writeHead(200, { 'content-type': 'text/xml' })
      .end('<Response><Message>Got it &amp; thanks</Message></Response>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('Messages API', () => {
  it('creates a message: 201 with the Message resource', async () => {
    const response = await create({ To: PHONE, From: NUMBER, Body: 'Hello' });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({
      account_sid: ACCOUNT_SID,
      sid: expect.stringMatching(/^SM[0-9a-f]{32}$/),
      status: 'queued',
      to: PHONE,
      from: NUMBER,
      body: 'Hello',
      num_segments: '1',
      direction: 'outbound-api',
      error_code: null,
    });
  });

  it.each([
    [{ To: PHONE, From: NUMBER, Body: 'x' }, 'wrong:secret', 401, 20003],
    [{ To: '555', From: NUMBER, Body: 'x' }, undefined, 400, 21211],
    [{ To: PHONE, Body: 'x' }, undefined, 400, 21603],
    [{ To: PHONE, From: '+15005550000', Body: 'x' }, undefined, 400, 21659],
    [{ To: PHONE, From: NUMBER }, undefined, 400, 21619],
    [{ To: PHONE, From: NUMBER, Body: 'x'.repeat(1_601) }, undefined, 400, 21617],
  ])('%j → HTTP %s… error envelope', async (form, auth, status, code) => {
    const response = await create(form, auth);
    expect(response.status).toBe(auth === undefined ? status : 401);
    expect(await response.json()).toEqual({
      code: auth === undefined ? code : 20003,
      message: expect.any(String),
      more_info: `https://www.twilio.com/docs/errors/${auth === undefined ? code : 20003}`,
      status: auth === undefined ? status : 401,
    });
  });

  it('answers 21610 after the phone texted STOP to that number, and accepts again after START', async () => {
    await emulator.phone(PHONE).send('Stop');
    expect(emulator.phone(PHONE).isOptedOut(NUMBER)).toBe(true);
    expect(emulator.phone(PHONE).inbox()[0]?.body).toContain('successfully been unsubscribed');
    expect((await (await create({ To: PHONE, From: NUMBER, Body: 'x' })).json()).code).toBe(21610);
    await emulator.phone(PHONE).send('start');
    expect((await create({ To: PHONE, From: NUMBER, Body: 'x' })).status).toBe(201);
  });

  it('a programmed failure answers once, with Retry-After', async () => {
    emulator.failNextRequest({ status: 429, code: 20429, retryAfter: '2' });
    const response = await create({ To: PHONE, From: NUMBER, Body: 'x' });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('2');
    expect((await create({ To: PHONE, From: NUMBER, Body: 'x' })).status).toBe(201);
  });
});

describe('webhooks', () => {
  it('posts signed status callbacks sent → delivered, and undelivered with ErrorCode on demand', async () => {
    const app = await startApp();
    try {
      await create({ To: PHONE, From: NUMBER, Body: 'one', StatusCallback: `${app.base}/status` });
      emulator.phone(PHONE).failNext(30007);
      await create({ To: PHONE, From: NUMBER, Body: 'two', StatusCallback: `${app.base}/status` });
      await emulator.idle();
      expect(app.received.every((webhook) => webhook.valid)).toBe(true);
      const statuses = app.received.map(
        (w) => `${w.params.MessageStatus}${w.params.ErrorCode ? `:${w.params.ErrorCode}` : ''}`,
      );
      expect(statuses.sort()).toEqual(['delivered', 'sent', 'sent', 'undelivered:30007']);
    } finally {
      await app.close();
    }
  });

  it('posts a signed incoming message and delivers the TwiML reply to the phone', async () => {
    const app = await startApp();
    try {
      emulator.setWebhookUrl(`${app.base}/webhooks/sms?tenant=demo`);
      await emulator.phone(PHONE).send('hi there');
      expect(app.received).toMatchObject([
        {
          valid: true,
          params: { From: PHONE, To: NUMBER, Body: 'hi there', SmsStatus: 'received' },
        },
      ]);
      expect(
        emulator
          .phone(PHONE)
          .inbox()
          .map((m) => m.body),
      ).toEqual(['Got it & thanks']);
    } finally {
      await app.close();
    }
  });

  it('serves the SMS phone page', async () => {
    await emulator.phone(PHONE).send('hello');
    const page = await fetch(emulator.phonePageUrl(PHONE));
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('SMS emulator');
    const picker = await (await fetch(emulator.phoneUrl)).text();
    expect(picker).toContain(PHONE);
  });
});
