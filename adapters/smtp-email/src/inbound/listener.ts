import type { AddressInfo } from 'node:net';
import type { EventSink } from '@threadline/core';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import type { ResolvedSmtpEmailOptions } from '../options';
import { type DnsResolver, type SenderVerdict, verifySender } from './authenticate';
import { fromParsedMail } from './mail';
import { type ReceiveDeps, receiveMail } from './receive';

/**
 * The built-in SMTP listener (`smtp-server`): the adapter's own MX. It takes mail only for the
 * configured recipients (never an open relay), refuses messages over the size limit with 552,
 * checks the sender (SPF/DKIM/DMARC) and answers only once the message is recorded, so a failure
 * makes the sending server retry (4xx) rather than lose the mail.
 */

/** SMTP replies the listener gives, with their RFC 5321 / RFC 3463 codes. */
export const LISTENER_REPLIES = {
  relayDenied: {
    code: 550,
    text: '5.7.1 Relaying denied: this server takes mail only for its own addresses',
  },
  tooBig: { code: 552, text: '5.3.4 Message too big' },
  untrusted: { code: 550, text: '5.7.1 Sender authentication failed' },
  tryLater: { code: 451, text: '4.3.0 Temporary failure, try again later' },
} as const;

function smtpError(reply: { code: number; text: string }, detail?: string): Error {
  return Object.assign(new Error(detail === undefined ? reply.text : `${reply.text}: ${detail}`), {
    responseCode: reply.code,
  });
}

/** Whether `address` is on the allow-list (`agent@acme.example`, or `@acme.example` for a domain). */
export function acceptsRecipient(allowed: readonly string[], address: string): boolean {
  const lower = address.toLowerCase();
  const local = lower.slice(0, lower.lastIndexOf('@')).replace(/\+.*$/, '');
  const domain = lower.slice(lower.lastIndexOf('@'));
  return allowed.some((entry) => {
    const rule = entry.toLowerCase();
    // `reply@x` also takes `reply+<token>@x`: plus-addresses route replies to their thread.
    return rule.startsWith('@') ? rule === domain : rule === lower || rule === `${local}${domain}`;
  });
}

/** A running listener. */
export interface SmtpListener {
  port(): number;
  close(): Promise<void>;
}

/**
 * Starts the listener.
 *
 * @example
 * ```ts
 * const listener = await startListener({ settings, auth, receive, sink });
 * listener.port(); // 2525
 * ```
 */
export async function startListener(input: {
  settings: NonNullable<ResolvedSmtpEmailOptions['listener']>;
  auth: ResolvedSmtpEmailOptions['senderAuth'];
  receive: ReceiveDeps;
  sink: EventSink;
  onError: (error: unknown) => void;
}): Promise<SmtpListener> {
  const { settings, auth } = input;
  const name = settings.name ?? 'threadline';
  const verdictFor = async (raw: Buffer, session: SMTPServerSession): Promise<SenderVerdict> => {
    if (auth.disabled) return { trusted: true, summary: 'not checked' };
    return verifySender(
      raw,
      {
        ip: session.remoteAddress,
        helo: session.hostNameAppearsAs,
        sender: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
        mta: name,
      },
      auth.resolver as DnsResolver | undefined,
    );
  };
  const server = new SMTPServer({
    name,
    size: settings.maxMessageBytes,
    authOptional: true,
    disabledCommands: settings.tls === undefined ? ['AUTH', 'STARTTLS'] : ['AUTH'],
    ...(settings.tls === undefined ? {} : { key: settings.tls.key, cert: settings.tls.cert }),
    logger: false,
    onRcptTo(address, _session, callback) {
      if (acceptsRecipient(settings.recipients, address.address)) return callback();
      callback(smtpError(LISTENER_REPLIES.relayDenied));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => {
        // Past the limit the rest is drained, not kept: the reply below refuses the message.
        if (!stream.sizeExceeded) chunks.push(chunk);
      });
      stream.on('end', () => {
        if (stream.sizeExceeded) return callback(smtpError(LISTENER_REPLIES.tooBig));
        const raw = Buffer.concat(chunks);
        const recipients = session.envelope.rcptTo.map((rcpt) => rcpt.address);
        (async () => {
          const [verdict, parsed] = await Promise.all([
            verdictFor(raw, session),
            simpleParser(raw),
          ]);
          const outcome = await receiveMail(
            input.receive,
            input.sink,
            fromParsedMail(parsed, recipients),
            verdict,
          );
          if (outcome === 'untrusted' && auth.onFail === 'reject') {
            return callback(smtpError(LISTENER_REPLIES.untrusted, verdict.reason));
          }
          callback();
        })().catch((error: unknown) => {
          input.onError(error);
          callback(smtpError(LISTENER_REPLIES.tryLater));
        });
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', input.onError);
  return {
    port: () => (server.server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
