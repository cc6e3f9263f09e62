import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { createTransport } from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmailEmulator, type EmailEmulator } from '../src/index';

/** A stand-in for the app's SMTP listener: records what the emulator sends back. */
async function appListener() {
  const received: Array<{ parsed: ParsedMail; from: string; to: string[] }> = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream).then((parsed) => {
        received.push({
          parsed,
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
        });
        callback();
      }, callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function sendFromApp(emulator: EmailEmulator, to: string) {
  const transport = createTransport({
    host: '127.0.0.1',
    port: emulator.smtpPort,
    secure: false,
    ignoreTLS: true,
  });
  try {
    return await transport.sendMail({
      from: 'Acme Agent <agent@acme.example>',
      replyTo: 'reply+t1.0123456789abcdef@acme.example',
      to,
      subject: 'Your booking',
      messageId: '<d_1@acme.example>',
      text: 'Would Thursday at 10 suit you?',
      html: '<p>Would Thursday at 10 suit you?</p>',
    });
  } finally {
    transport.close();
  }
}

describe('the email emulator', () => {
  let emulator: EmailEmulator;
  let app: Awaited<ReturnType<typeof appListener>>;
  afterEach(async () => {
    await emulator.stop();
    await app.close();
  });

  async function start() {
    app = await appListener();
    emulator = createEmailEmulator({
      inboxes: ['ann@example.com'],
      app: { smtp: { port: app.port } },
    });
    await emulator.start();
  }

  it("accepts the app's mail for its inboxes and refuses other recipients with 550", async () => {
    await start();
    await sendFromApp(emulator, 'ann@example.com');
    expect(emulator.inbox('ann@example.com')).toEqual([
      expect.objectContaining({
        messageId: '<d_1@acme.example>',
        subject: 'Your booking',
        replyTo: 'reply+t1.0123456789abcdef@acme.example',
      }),
    ]);
    const refused = await sendFromApp(emulator, 'stranger@example.com').catch(
      (error: unknown) => error,
    );
    expect(refused).toMatchObject({ responseCode: 550 });
  });

  it('replies from the inbox page with a real MIME reply (In-Reply-To, References, quoted history)', async () => {
    await start();
    await sendFromApp(emulator, 'ann@example.com');
    const page = await fetch(emulator.inboxUrl('ann@example.com'));
    expect(await page.text()).toContain('Your booking');
    const posted = await fetch(`${emulator.inboxUrl('ann@example.com')}/reply`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ messageId: '<d_1@acme.example>', text: 'Yes, Thursday works.' }),
      redirect: 'manual',
    });
    expect(posted.status).toBe(303);
    const [reply] = app.received;
    expect(reply?.to).toEqual(['reply+t1.0123456789abcdef@acme.example']);
    expect(reply?.parsed.inReplyTo).toBe('<d_1@acme.example>');
    expect(reply?.parsed.references).toBe('<d_1@acme.example>');
    expect(reply?.parsed.subject).toBe('Re: Your booking');
    expect(reply?.parsed.text).toMatch(
      /^Yes, Thursday works\.\n\nOn .* wrote:\n\n> Would Thursday at 10 suit you\?/,
    );
  });

  it('bounces a message with an RFC 3464 delivery status notification', async () => {
    await start();
    await sendFromApp(emulator, 'ann@example.com');
    await emulator.bounce('ann@example.com', '<d_1@acme.example>');
    const [bounce] = app.received;
    expect(bounce?.from).toBe('');
    expect(bounce?.to).toEqual(['agent@acme.example']);
    const type = bounce?.parsed.headers.get('content-type') as {
      value: string;
      params: Record<string, string>;
    };
    expect(type).toMatchObject({
      value: 'multipart/report',
      params: { 'report-type': 'delivery-status' },
    });
    expect(bounce?.parsed.text).toContain('Status: 5.1.1');
    expect(emulator.inbox('ann@example.com')[0]?.bounced).toBe(true);
  });

  it('publishes SPF records for its domains through dnsResolver', async () => {
    await start();
    expect(await emulator.dnsResolver('example.com', 'TXT')).toEqual([
      ['v=spf1 ip4:127.0.0.1 -all'],
    ]);
    await expect(emulator.dnsResolver('_dmarc.example.com', 'TXT')).rejects.toMatchObject({
      code: 'ENOTFOUND',
    });
  });
});
