import { FAKE_CLOCK_START, runAdapterConformance } from '@threadline/testkit';
import { createTransport } from 'nodemailer';
import { afterAll } from 'vitest';
import { createSmtpEmailAdapter, type SmtpEmailAdapter } from '../src/index';
import { RAW_SIGNATURE_HEADER, signRaw } from '../src/webhook/verify';
import { stubResolver } from './dns';
import { renderedFromMail } from './rendered';
import { replyMime } from './runtime';
import { sinkTransport, startSmtpSink } from './smtp-sink';

const sink = await startSmtpSink();
afterAll(() => sink.close());

const RAW_SECRET = 'raw-relay-secret-0123456789';
const RAW_URL = 'https://acme.example/webhooks/email/inbound/raw';

const failures = [
  {
    name: '550 5.1.1 user unknown',
    code: 550,
    text: '5.1.1 <ann@example.com>: user unknown',
    category: 'unreachable',
    retryable: false,
  },
  {
    name: '452 4.2.2 mailbox full',
    code: 452,
    text: '4.2.2 mailbox full',
    category: 'throttled',
    retryable: true,
  },
  {
    name: '421 service not available',
    code: 421,
    text: '4.3.2 shutting down',
    category: 'provider',
    retryable: true,
  },
  {
    name: '554 5.7.1 rejected as spam (at DATA)',
    code: 554,
    text: '5.7.1 message rejected',
    category: 'compliance',
    retryable: false,
    at: 'data' as const,
  },
  {
    name: '552 message too big (at DATA)',
    code: 552,
    text: '5.3.4 message too big',
    category: 'invalid_request',
    retryable: false,
    at: 'data' as const,
  },
] as const;

runAdapterConformance(
  ({ clock }) =>
    createSmtpEmailAdapter({
      from: 'Acme Agent <agent@acme.example>',
      transport: sinkTransport(sink),
      publicUrl: 'https://acme.example/webhooks/email',
      linkSecret: 'a-link-secret-of-at-least-32-characters!',
      listener: { port: 0, recipients: ['agent@acme.example'] },
      senderAuth: { resolver: stubResolver() },
      webhooks: { raw: { secret: RAW_SECRET } },
      clock,
    }),
  {
    name: 'smtp-email',
    reset: () => sink.reset(),
    inbound: [
      {
        kind: 'webhook',
        name: 'a raw MIME POST from a relay',
        publicUrl: RAW_URL,
        signatureHeader: RAW_SIGNATURE_HEADER,
        valid: () => {
          const raw = replyMime({
            from: 'Ann <ann@example.com>',
            subject: 'Hi',
            messageId: '<conf-raw@example.com>',
            text: 'over http',
          });
          return new Request(RAW_URL, {
            method: 'POST',
            body: raw,
            headers: { [RAW_SIGNATURE_HEADER]: signRaw(RAW_SECRET, raw, FAKE_CLOCK_START) },
          });
        },
        expected: [
          {
            type: 'message',
            message: { providerMessageId: '<conf-raw@example.com>', text: 'over http' },
          },
        ],
      },
      {
        kind: 'connection',
        name: 'an email to the SMTP listener',
        async trigger({ adapter }) {
          const transport = createTransport({
            host: '127.0.0.1',
            port: (adapter as SmtpEmailAdapter).listenerPort() as number,
            secure: false,
            ignoreTLS: true,
          });
          await transport.sendMail({
            envelope: { from: 'ann@example.com', to: ['agent@acme.example'] },
            raw: replyMime({
              from: 'Ann <ann@example.com>',
              subject: 'Hello',
              messageId: '<conf-1@example.com>',
              text: 'hello',
            }),
          });
          transport.close();
        },
        expected: [
          {
            type: 'message',
            message: {
              providerMessageId: '<conf-1@example.com>',
              from: { address: 'ann@example.com', displayName: 'Ann' },
              text: 'hello',
              subject: 'Hello',
            },
          },
        ],
      },
    ],
    outbound: {
      recipient: { address: 'ann@example.com' },
      honoursAbort: true,
      provider: {
        accept: () => {},
        failures: failures.map((failure) => ({
          name: failure.name,
          arrange: () =>
            sink.failNext(failure.code, failure.text, 'at' in failure ? failure.at : 'rcpt'),
          category: failure.category,
          retryable: failure.retryable,
        })),
        sent: () => sink.received.flatMap(renderedFromMail),
      },
    },
  },
);
