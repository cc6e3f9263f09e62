import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP server on 127.0.0.1:0 standing in for the provider's submission server: it records
 * every message (raw and parsed) and can be told to refuse the next one with an SMTP reply.
 */

export interface ReceivedMail {
  raw: Buffer;
  parsed: ParsedMail;
  envelope: { from: string; to: string[] };
}

export interface SmtpSink {
  port: number;
  received: ReceivedMail[];
  /** Refuse the next message at RCPT TO (or DATA) with this reply code and text. */
  failNext(code: number, text: string, at?: 'rcpt' | 'data'): void;
  reset(): void;
  close(): Promise<void>;
}

function smtpError(code: number, text: string): Error {
  return Object.assign(new Error(text), { responseCode: code });
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  let failure: { code: number; text: string; at: 'rcpt' | 'data' } | undefined;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 30 * 1024 * 1024,
    onRcptTo(_address, _session, callback) {
      if (failure?.at === 'rcpt') {
        const { code, text } = failure;
        failure = undefined;
        return callback(smtpError(code, text));
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (failure?.at === 'data') {
          const { code, text } = failure;
          failure = undefined;
          return callback(smtpError(code, text));
        }
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then(
          (parsed) => {
            received.push({
              raw,
              parsed,
              envelope: {
                from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
              },
            });
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    received,
    failNext(code, text, at = 'rcpt') {
      failure = { code, text, at };
    },
    reset() {
      received.length = 0;
      failure = undefined;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Transport settings for the adapter pointing at the sink (no TLS on a local test server). */
export function sinkTransport(sink: SmtpSink) {
  return { host: '127.0.0.1', port: sink.port, secure: false, ignoreTLS: true, pool: false };
}
