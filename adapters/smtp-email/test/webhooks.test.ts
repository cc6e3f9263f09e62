import { createHmac } from 'node:crypto';
import type { InboundEvent } from '@threadline/core';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RAW_SIGNATURE_HEADER, signRaw } from '../src/webhook/verify';
import { type EmailRuntime, replyMime, startEmailRuntime } from './runtime';
import { type SmtpSink, startSmtpSink } from './smtp-sink';

const sink: SmtpSink = await startSmtpSink();
afterAll(() => sink.close());

const MAILGUN_KEY = 'key-mailgun-signing-0123456789';
const RAW_SECRET = 'raw-relay-secret-0123456789';
const BASE = 'https://acme.example/webhooks/email';
const basic = (user: string, pass: string) =>
  `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

let rt: EmailRuntime;
let events: InboundEvent[];
beforeEach(async () => {
  sink.reset();
  rt = await startEmailRuntime(sink, {
    listener: undefined,
    webhooks: {
      mailgun: { signingKey: MAILGUN_KEY },
      sendgrid: { username: 'sg', password: 'sg-pass' },
      postmark: { username: 'pm', password: 'pm-pass' },
      raw: { secret: RAW_SECRET },
    },
  });
  events = [];
  rt.threadline.on('event.received', ({ event }) => events.push(event));
});
afterEach(async () => {
  await rt.stop();
});

/** Mailgun's signature: hex HMAC-SHA256(signing key, timestamp + token). */
function mailgunSignature(timestamp: string, token: string, key = MAILGUN_KEY) {
  return createHmac('sha256', key).update(`${timestamp}${token}`).digest('hex');
}

/**
 * A Mailgun route forward, with the fields Mailgun documents.
 * Source: https://documentation.mailgun.com/docs/mailgun/user-manual/receive-forward-store/receive-http
 */
function mailgunForm(input: {
  token: string;
  timestamp?: string;
  key?: string;
  messageId: string;
  inReplyTo?: string;
  text: string;
}) {
  const timestamp = input.timestamp ?? String(Math.floor(rt.clock.now() / 1000));
  const form = new FormData();
  form.set('recipient', 'agent@acme.example');
  form.set('sender', 'ann@example.com');
  form.set('from', 'Ann Example <ann@example.com>');
  form.set('subject', 'Re: Your booking');
  form.set('body-plain', input.text);
  form.set('stripped-text', input.text.split('\n')[0] as string);
  form.set(
    'message-headers',
    JSON.stringify([
      ['X-Mailgun-Spf', 'Pass'],
      ['X-Mailgun-Dkim-Check-Result', 'Pass'],
      ['From', 'Ann Example <ann@example.com>'],
      ['To', 'agent@acme.example'],
      ['Subject', 'Re: Your booking'],
      ['Message-Id', input.messageId],
      ...(input.inReplyTo === undefined ? [] : [['In-Reply-To', input.inReplyTo]]),
      ['Date', 'Wed, 02 Dec 2026 10:00:00 +0000'],
    ]),
  );
  form.set('attachment-count', '1');
  form.set(
    'attachment-1',
    new File([Buffer.from('%PDF-1.4 test')], 'invoice.pdf', { type: 'application/pdf' }),
  );
  form.set('timestamp', timestamp);
  form.set('token', input.token);
  form.set('signature', mailgunSignature(timestamp, input.token, input.key));
  return form;
}

const post = (path: string, body: RequestInit['body'], headers: Record<string, string> = {}) =>
  rt.threadline.fetch(new Request(`${BASE}${path}`, { method: 'POST', body, headers }));

describe('Mailgun routes', () => {
  it('records a signed forward in the thread its In-Reply-To names, with attachments as media', async () => {
    const sent = await rt.threadline.channels.email.send({
      to: { email: 'ann@example.com' },
      subject: 'Your booking',
      text: 'Thursday?',
    });
    const response = await post(
      '/inbound/mailgun',
      mailgunForm({
        token: 'tok-1',
        messageId: '<mg-1@example.com>',
        inReplyTo: sent.messageId as string,
        text: 'Yes.\n\nOn Tue, Dec 1, 2026 at 3:04 PM Acme <agent@acme.example> wrote:\n> Thursday?',
      }),
    );
    expect(response.status).toBe(200);
    await rt.threadline.idle();
    expect(rt.turns).toHaveLength(1);
    expect(rt.turns[0]?.user.id).toBe(sent.userId);
    expect(rt.turns[0]?.message).toMatchObject({
      text: 'Yes.',
      providerMessageId: '<mg-1@example.com>',
    });
    expect(rt.turns[0]?.message.media).toEqual([
      expect.objectContaining({
        kind: 'document',
        filename: 'invoice.pdf',
        mimeType: 'application/pdf',
      }),
    ]);
  });

  it('refuses a forged signature, a replayed request and a stale timestamp with 401', async () => {
    const forged = await post(
      '/inbound/mailgun',
      mailgunForm({
        token: 'tok-2',
        key: 'not-the-key',
        messageId: '<mg-2@example.com>',
        text: 'x',
      }),
    );
    expect(forged.status).toBe(401);
    const form = mailgunForm({ token: 'tok-3', messageId: '<mg-3@example.com>', text: 'once' });
    expect((await post('/inbound/mailgun', form)).status).toBe(200);
    const replayed = await post('/inbound/mailgun', form);
    expect(replayed.status).toBe(401);
    expect(await replayed.text()).toBe('webhook replayed');
    const stale = await post(
      '/inbound/mailgun',
      mailgunForm({
        token: 'tok-4',
        timestamp: String(Math.floor(rt.clock.now() / 1000) - 3600),
        messageId: '<mg-4@example.com>',
        text: 'old',
      }),
    );
    expect(stale.status).toBe(401);
    await rt.threadline.idle();
    expect(rt.turns.map((turn) => turn.message.text)).toEqual(['once']);
  });

  it('fails a delivery from a permanent-failure event with the remote SMTP code', async () => {
    const sent = await rt.threadline.channels.email.send({
      to: { email: 'gone@example.com' },
      text: 'Hello',
    });
    const timestamp = String(Math.floor(rt.clock.now() / 1000));
    // Shape of Mailgun's `failed` webhook. Source: https://documentation.mailgun.com/docs/mailgun/user-manual/events/webhooks
    const event = {
      signature: { timestamp, token: 'ev-1', signature: mailgunSignature(timestamp, 'ev-1') },
      'event-data': {
        event: 'failed',
        severity: 'permanent',
        reason: 'bounce',
        recipient: 'gone@example.com',
        timestamp: Number(timestamp),
        message: {
          headers: {
            'message-id': (sent.messageId as string).slice(1, -1),
            to: 'gone@example.com',
          },
        },
        'delivery-status': {
          code: 550,
          message: '5.1.1 The email account that you tried to reach does not exist',
          description: '',
        },
      },
    };
    const response = await post('/events/mailgun', JSON.stringify(event), {
      'content-type': 'application/json',
    });
    expect(response.status).toBe(200);
    const delivery = await rt.threadline.deliveries.get(sent.deliveryId);
    expect(delivery).toMatchObject({
      status: 'failed',
      error: { category: 'unreachable', providerCode: '550' },
    });
  });
});

describe('SendGrid Inbound Parse', () => {
  /** Source: https://www.twilio.com/docs/sendgrid/for-developers/parsing-email/setting-up-the-inbound-parse-webhook */
  function sendgridForm(spf: string) {
    const form = new FormData();
    form.set(
      'headers',
      'From: Ann Example <ann@example.com>\nTo: agent@acme.example\nSubject: Question\nMessage-ID: <sg-1@example.com>\nDate: Wed, 02 Dec 2026 10:00:00 +0000\n',
    );
    form.set('text', 'Do you ship to Norway?\n');
    form.set('html', '<p>Do you ship to Norway?</p>');
    form.set('from', 'Ann Example <ann@example.com>');
    form.set('to', 'agent@acme.example');
    form.set('subject', 'Question');
    form.set('envelope', JSON.stringify({ to: ['agent@acme.example'], from: 'ann@example.com' }));
    form.set('SPF', spf);
    form.set('dkim', '{@example.com : pass}');
    form.set(
      'charsets',
      JSON.stringify({
        to: 'UTF-8',
        html: 'UTF-8',
        subject: 'UTF-8',
        from: 'UTF-8',
        text: 'UTF-8',
      }),
    );
    form.set('spam_score', '0.1');
    return form;
  }

  it('records a parsed multipart post with Basic auth, and refuses wrong credentials', async () => {
    const wrong = await post('/inbound/sendgrid', sendgridForm('pass'), {
      authorization: basic('sg', 'nope'),
    });
    expect(wrong.status).toBe(401);
    const ok = await post('/inbound/sendgrid', sendgridForm('pass'), {
      authorization: basic('sg', 'sg-pass'),
    });
    expect(ok.status).toBe(200);
    await rt.threadline.idle();
    expect(rt.turns.map((turn) => turn.message.text)).toEqual(['Do you ship to Norway?']);
  });
});

describe('Postmark inbound', () => {
  /** Source: https://postmarkapp.com/developer/webhooks/inbound-webhook */
  const payload = (authResults: string) => ({
    FromName: 'Ann Example',
    MessageStream: 'inbound',
    From: 'ann@example.com',
    FromFull: { Email: 'ann@example.com', Name: 'Ann Example', MailboxHash: '' },
    To: 'agent@acme.example',
    ToFull: [{ Email: 'agent@acme.example', Name: '', MailboxHash: '' }],
    Cc: '',
    CcFull: [],
    Bcc: '',
    BccFull: [],
    OriginalRecipient: 'agent@acme.example',
    Subject: 'Invoice',
    MessageID: '73e6d360-66eb-11e1-8e72-a8904824019b',
    ReplyTo: '',
    MailboxHash: '',
    Date: 'Wed, 02 Dec 2026 10:00:00 +0000',
    TextBody: 'Please resend the invoice.',
    HtmlBody: '<p>Please resend the invoice.</p>',
    StrippedTextReply: 'Please resend the invoice.',
    Tag: '',
    Headers: [
      { Name: 'X-Spam-Status', Value: 'No' },
      { Name: 'Received-SPF', Value: 'Pass (sender SPF authorized) identity=mailfrom' },
      { Name: 'Authentication-Results', Value: authResults },
      { Name: 'Message-ID', Value: '<pm-1@example.com>' },
    ],
    Attachments: [
      {
        Name: 'note.txt',
        Content: Buffer.from('hello').toString('base64'),
        ContentType: 'text/plain',
        ContentLength: 5,
      },
    ],
  });

  it('records a JSON post with Basic auth, using the real Message-ID', async () => {
    const response = await post(
      '/inbound/postmark',
      JSON.stringify(
        payload('mx.postmarkapp.com; spf=pass; dkim=pass; dmarc=pass header.from=example.com'),
      ),
      {
        'content-type': 'application/json',
        authorization: basic('pm', 'pm-pass'),
      },
    );
    expect(response.status).toBe(200);
    await rt.threadline.idle();
    expect(rt.turns[0]?.message).toMatchObject({
      providerMessageId: '<pm-1@example.com>',
      text: 'Please resend the invoice.',
    });
  });

  it("does not record the user when the provider's verdict is a DMARC fail, and says why", async () => {
    const response = await post(
      '/inbound/postmark',
      JSON.stringify(
        payload(
          'mx.postmarkapp.com; spf=fail; dkim=none; dmarc=fail (p=reject) header.from=example.com',
        ),
      ),
      {
        'content-type': 'application/json',
        authorization: basic('pm', 'pm-pass'),
      },
    );
    expect(response.status).toBe(200);
    await rt.threadline.idle();
    expect(rt.turns).toHaveLength(0);
    expect(events).toEqual([
      expect.objectContaining({
        type: 'unsupported',
        reason: 'sender authentication failed: dmarc=fail (p=reject) header.from=example.com',
      }),
    ]);
  });

  it('answers 400 to a payload without the required fields', async () => {
    const response = await post('/inbound/postmark', JSON.stringify({ Subject: 'x' }), {
      authorization: basic('pm', 'pm-pass'),
    });
    expect(response.status).toBe(400);
  });
});

describe('raw MIME POST', () => {
  const raw = replyMime({
    subject: 'Raw',
    messageId: '<raw-1@example.com>',
    text: 'Straight from the relay.',
  });

  it('records a signed message once: forged and replayed posts are refused', async () => {
    const signature = signRaw(RAW_SECRET, raw, rt.clock.now());
    expect(
      (await post('/inbound/raw', raw, { [RAW_SIGNATURE_HEADER]: signature.replace(/.$/, '0') }))
        .status,
    ).toBe(401);
    expect((await post('/inbound/raw', raw, { [RAW_SIGNATURE_HEADER]: signature })).status).toBe(
      200,
    );
    expect((await post('/inbound/raw', raw, { [RAW_SIGNATURE_HEADER]: signature })).status).toBe(
      401,
    );
    await rt.threadline.idle();
    expect(rt.turns.map((turn) => turn.message.text)).toEqual(['Straight from the relay.']);
  });

  it('answers 404 for a route that is not configured', async () => {
    expect((await post('/inbound/unknown', 'x')).status).toBe(404);
  });
});
