import { readFileSync } from 'node:fs';
import { createTransport } from 'nodemailer';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type EmailRuntime, replyMime, startEmailRuntime } from './runtime';
import { type SmtpSink, startSmtpSink } from './smtp-sink';

/** A self-signed certificate for `localhost`, made for these tests only (100 years). */
const tls = {
  key: readFileSync(new URL('./fixtures/tls-key.pem', import.meta.url), 'utf8'),
  cert: readFileSync(new URL('./fixtures/tls-cert.pem', import.meta.url), 'utf8'),
};

const sink: SmtpSink = await startSmtpSink();
afterAll(() => sink.close());

let rt: EmailRuntime;
afterEach(async () => {
  await rt.stop();
});

async function send(requireTLS: boolean) {
  const transport = createTransport({
    host: '127.0.0.1',
    port: rt.adapter.listenerPort() as number,
    secure: false,
    requireTLS,
    tls: { rejectUnauthorized: false },
  });
  try {
    await transport.sendMail({
      envelope: { from: 'ann@example.com', to: ['agent@acme.example'] },
      raw: replyMime({
        subject: 'tls',
        messageId: `<tls-${requireTLS}@example.com>`,
        text: 'Over TLS.',
      }),
    });
  } finally {
    transport.close();
  }
  await rt.threadline.idle();
}

describe('STARTTLS on the listener', () => {
  it('offers STARTTLS when given a key and certificate, and takes mail over it', async () => {
    rt = await startEmailRuntime(sink, {
      listener: { port: 0, recipients: ['agent@acme.example'], tls },
    });
    await send(true);
    expect(rt.turns.map((turn) => turn.message.text)).toEqual(['Over TLS.']);
  });

  it('does not advertise STARTTLS without them', async () => {
    rt = await startEmailRuntime(sink, {
      listener: { port: 0, recipients: ['agent@acme.example'] },
    });
    const error = await send(true).catch((e: unknown) => e);
    expect(String(error)).toMatch(/STARTTLS/i);
    expect(rt.turns).toHaveLength(0);
  });
});
