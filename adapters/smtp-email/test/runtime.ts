import {
  type AgentTurn,
  createThreadline,
  type Threadline,
  type ThreadStore,
} from '@threadline/core';
import { createMemoryStore } from '@threadline/store-memory';
import { createFakeClock, type FakeClock } from '@threadline/testkit';
import { createTransport } from 'nodemailer';
import {
  createSmtpEmailAdapter,
  type SmtpEmailAdapter,
  type SmtpEmailAdapterOptions,
} from '../src/index';
import { stubResolver } from './dns';
import { type SmtpSink, sinkTransport } from './smtp-sink';

/**
 * The adapter inside the real runtime: createThreadline + the memory store + a fake clock, sending
 * to a real SMTP sink and receiving on its own real SMTP listener (127.0.0.1, port 0).
 */

export const LINK_SECRET = 'a-link-secret-of-at-least-32-characters!';

export interface EmailRuntime {
  adapter: SmtpEmailAdapter;
  threadline: Threadline;
  store: ThreadStore;
  clock: FakeClock;
  turns: AgentTurn[];
  errors: unknown[];
  /** Sends a raw message to the adapter's listener as `envelopeFrom`, to `to`. */
  deliver(
    raw: string | Buffer,
    input?: { from?: string; to?: string[]; helo?: string },
  ): Promise<void>;
  stop(): Promise<void>;
}

export async function startEmailRuntime(
  sink: SmtpSink,
  overrides: Partial<SmtpEmailAdapterOptions> = {},
  reply?: (turn: AgentTurn) => Promise<void>,
): Promise<EmailRuntime> {
  const clock = createFakeClock();
  const store = createMemoryStore({ clock });
  const turns: AgentTurn[] = [];
  const errors: unknown[] = [];
  const adapter = createSmtpEmailAdapter({
    from: 'Acme Agent <agent@acme.example>',
    transport: sinkTransport(sink),
    publicUrl: 'https://acme.example/webhooks/email',
    linkSecret: LINK_SECRET,
    replyAddress: 'reply@acme.example',
    listener: { port: 0, recipients: ['agent@acme.example', 'reply@acme.example'] },
    senderAuth: { resolver: stubResolver() },
    clock,
    ...overrides,
  });
  const threadline = createThreadline({
    store,
    adapters: [adapter],
    clock,
    random: () => 0.5,
    outbox: { pollIntervalMs: 3_600_000 },
    jobs: { pollIntervalMs: 3_600_000 },
    onMessage: async (turn) => {
      turns.push(turn);
      await reply?.(turn);
    },
    onError: (error) => errors.push(error),
  });
  await threadline.start();
  return {
    adapter,
    threadline,
    store,
    clock,
    turns,
    errors,
    async deliver(raw, input = {}) {
      const transport = createTransport({
        host: '127.0.0.1',
        port: adapter.listenerPort() as number,
        secure: false,
        ignoreTLS: true,
        ...(input.helo === undefined ? {} : { name: input.helo }),
      });
      try {
        await transport.sendMail({
          envelope: {
            from: input.from ?? 'ann@example.com',
            to: input.to ?? ['agent@acme.example'],
          },
          raw,
        });
      } finally {
        transport.close();
      }
      await threadline.idle();
    },
    stop: () => threadline.stop(),
  };
}

/** A reply as mail clients write it: headers, then the text. */
export function replyMime(input: {
  from?: string;
  to?: string;
  subject: string;
  messageId: string;
  inReplyTo?: string;
  references?: string[];
  text: string;
  extraHeaders?: string[];
}): string {
  return [
    `From: ${input.from ?? 'Ann Example <ann@example.com>'}`,
    `To: ${input.to ?? 'Acme Agent <agent@acme.example>'}`,
    `Subject: ${input.subject}`,
    `Message-ID: ${input.messageId}`,
    'Date: Wed, 02 Dec 2026 10:00:00 +0000',
    ...(input.inReplyTo === undefined ? [] : [`In-Reply-To: ${input.inReplyTo}`]),
    ...(input.references === undefined ? [] : [`References: ${input.references.join(' ')}`]),
    ...(input.extraHeaders ?? []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    input.text.replace(/\n/g, '\r\n'),
    '',
  ].join('\r\n');
}
