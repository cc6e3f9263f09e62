import { createHmac, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { createTransport } from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { parseEmulatorOptions } from '../config-error';
import { readBody } from '../http/respond';
import { listen, type RunningServer } from '../http/server';
import { buildBounce, buildReply, type ReceivedEmail } from './mime';
import { type EmailEmulatorOptions, EmailEmulatorOptionsSchema } from './options';
import { inboxPage } from './page';

/** A running (or ready to start) email emulator: a mail server for the app and inbox pages. */
export interface EmailEmulator {
  /** The SMTP port the app's transport points at (after `start`). */
  readonly smtpPort: number;
  /** `http://host:port` of the inbox pages (after `start`). */
  readonly url: string;
  inboxUrl(address: string): string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** What the app sent this address, oldest first. */
  inbox(address: string): ReceivedEmail[];
  /** Sends a reply to one of the app's emails back to the app (SMTP listener or raw webhook). */
  reply(address: string, input: { messageId?: string; text: string }): Promise<string>;
  /** Sends a DSN hard bounce for one of the app's emails back to the app. */
  bounce(address: string, messageId?: string): Promise<void>;
  /** Points replies at the app (after the app's listener has a port). */
  setApp(app: EmailEmulatorOptions['app']): void;
  /**
   * A DNS resolver for the app's sender checks (mailauth's `resolver`): SPF records that let the
   * emulator (127.0.0.1) send for the inbox domains and its own server name.
   */
  dnsResolver(name: string, rrtype: string): Promise<string[][]>;
}

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}

/**
 * Creates the emulator: an SMTP server that accepts the app's mail for the configured inboxes
 * (refusing others with 550), an inbox page per address, and real MIME replies and bounces sent
 * back to the app's SMTP listener or raw MIME webhook.
 *
 * @example
 * ```ts
 * const emulator = createEmailEmulator({ inboxes: ['ann@example.com'] });
 * await emulator.start();
 * const email = createSmtpEmailAdapter({ from: 'agent@acme.example', transport: { host: '127.0.0.1', port: emulator.smtpPort, ignoreTLS: true },
 *   listener: { port: 0, recipients: ['agent@acme.example'] }, senderAuth: { resolver: emulator.dnsResolver } });
 * // after threadline.start():
 * emulator.setApp({ smtp: { port: email.listenerPort()! } });
 * ```
 */
export function createEmailEmulator(options: EmailEmulatorOptions): EmailEmulator {
  const config = parseEmulatorOptions(EmailEmulatorOptionsSchema, options, 'createEmailEmulator');
  const inboxes = new Map<string, ReceivedEmail[]>(
    config.inboxes.map((address) => [address.toLowerCase(), []]),
  );
  let app = config.app;
  let smtp: SMTPServer | undefined;
  let http: RunningServer | undefined;
  let smtpPort = 0;

  const mailbox = (address: string): ReceivedEmail[] => {
    const list = inboxes.get(address.toLowerCase());
    if (list === undefined) throw new Error(`no inbox for ${address}`);
    return list;
  };
  const find = (address: string, messageId?: string): ReceivedEmail => {
    const list = mailbox(address);
    const mail =
      messageId === undefined ? list.at(-1) : list.find((entry) => entry.messageId === messageId);
    if (mail === undefined)
      throw new Error(`no message ${messageId ?? '(latest)'} in ${address}'s inbox`);
    return mail;
  };

  async function toApp(raw: Buffer, envelope: { from: string; to: string }): Promise<void> {
    if (app.smtp !== undefined) {
      const transport = createTransport({
        host: app.smtp.host ?? '127.0.0.1',
        port: app.smtp.port,
        secure: false,
        ignoreTLS: true,
        name: config.serverName,
      });
      try {
        await transport.sendMail({ envelope, raw });
      } finally {
        transport.close();
      }
      return;
    }
    if (app.webhook !== undefined) {
      const t = String(Math.floor(Date.now() / 1000));
      const mac = createHmac('sha256', app.webhook.secret)
        .update(`${t}.`)
        .update(raw)
        .digest('hex');
      const response = await fetch(app.webhook.url, {
        method: 'POST',
        headers: { 'content-type': 'message/rfc822', 'x-threadline-signature': `t=${t},v1=${mac}` },
        body: raw,
      });
      if (!response.ok)
        throw new Error(`the app answered ${response.status}: ${await response.text()}`);
      return;
    }
    throw new Error('the email emulator does not know where the app receives mail: call setApp');
  }

  const emulator: EmailEmulator = {
    get smtpPort() {
      return smtpPort;
    },
    get url() {
      if (http === undefined) throw new Error('start() the email emulator first');
      return http.url;
    },
    inboxUrl: (address) => `${emulator.url}/inbox/${encodeURIComponent(address)}`,
    inbox: (address) => [...mailbox(address)],
    setApp(next) {
      app = EmailEmulatorOptionsSchema.shape.app.parse(next);
    },
    async dnsResolver(name, rrtype) {
      const domains = new Set([...config.inboxes.map(domainOf), config.serverName.toLowerCase()]);
      if (rrtype === 'TXT' && domains.has(name.toLowerCase()))
        return [['v=spf1 ip4:127.0.0.1 -all']];
      throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
    },
    async reply(address, input) {
      const original = find(address, input.messageId);
      const messageId = `<${randomUUID()}@${domainOf(address)}>`;
      const raw = await buildReply({
        from: address,
        original,
        text: input.text,
        messageId,
        date: new Date(),
      });
      await toApp(raw, { from: address, to: original.replyTo });
      return messageId;
    },
    async bounce(address, messageId) {
      const original = find(address, messageId);
      const raw = await buildBounce({
        serverName: config.serverName,
        original,
        recipient: address,
        messageId: `<${randomUUID()}@${config.serverName}>`,
        date: new Date(),
      });
      await toApp(raw, { from: '', to: original.envelopeFrom || original.from });
      original.bounced = true;
    },
    async start() {
      smtp = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS', 'AUTH'],
        logger: false,
        onRcptTo(rcpt, _session, callback) {
          if (inboxes.has(rcpt.address.toLowerCase())) return callback();
          callback(Object.assign(new Error('5.1.1 No such user here'), { responseCode: 550 }));
        },
        onData(stream, session, callback) {
          simpleParser(stream).then((parsed) => {
            for (const rcpt of session.envelope.rcptTo) {
              const replyTo =
                parsed.replyTo?.value[0]?.address ?? parsed.from?.value[0]?.address ?? '';
              mailbox(rcpt.address).push({
                messageId: parsed.messageId ?? `<${randomUUID()}@emulator>`,
                from: parsed.from?.text ?? '',
                replyTo,
                to: session.envelope.rcptTo.map((entry) => entry.address),
                subject: parsed.subject ?? '',
                text: parsed.text ?? '',
                ...(parsed.html === false ? {} : { html: parsed.html }),
                references: Array.isArray(parsed.references)
                  ? parsed.references
                  : parsed.references
                    ? [parsed.references]
                    : [],
                envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                receivedAt: Date.now(),
              });
            }
            callback();
          }, callback);
        },
      });
      await new Promise<void>((resolve) => smtp?.listen(config.smtpPort, config.host, resolve));
      smtpPort = (smtp.server.address() as AddressInfo).port;
      http = await listen({
        host: config.host,
        port: config.httpPort,
        handler: async (req, res) => {
          const url = new URL(req.url ?? '/', 'http://emulator');
          const match = /^\/inbox\/([^/]+)(\/reply|\/bounce)?$/.exec(url.pathname);
          if (url.pathname === '/') {
            res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
            res.end(
              config.inboxes
                .map(
                  (address) =>
                    `<p><a href="/inbox/${encodeURIComponent(address)}">${address}</a></p>`,
                )
                .join(''),
            );
            return;
          }
          const address = match ? decodeURIComponent(match[1] as string) : '';
          if (match === null || !inboxes.has(address.toLowerCase())) {
            res.writeHead(404, { 'content-type': 'text/plain' });
            res.end('no such inbox');
            return;
          }
          if (match[2] === undefined) {
            res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
            res.end(inboxPage(address, mailbox(address)));
            return;
          }
          const form = new URLSearchParams((await readBody(req)).toString('utf8'));
          const messageId = form.get('messageId') ?? undefined;
          if (match[2] === '/reply')
            await emulator.reply(address, {
              ...(messageId === undefined ? {} : { messageId }),
              text: form.get('text') ?? '',
            });
          else await emulator.bounce(address, messageId);
          res.writeHead(303, { location: `/inbox/${encodeURIComponent(address)}` });
          res.end();
        },
      });
    },
    async stop() {
      await http?.close();
      await new Promise<void>((resolve) =>
        smtp === undefined ? resolve() : smtp.close(() => resolve()),
      );
      http = undefined;
      smtp = undefined;
    },
  };
  return emulator;
}
