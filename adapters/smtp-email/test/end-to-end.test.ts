import { type AgentTurn, createThreadline, type Threadline } from '@threadline/core';
import { createEmailEmulator, type EmailEmulator } from '@threadline/emulators';
import { createMemoryStore } from '@threadline/store-memory';
import { createFakeClock } from '@threadline/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSmtpEmailAdapter, type SmtpEmailAdapter } from '../src/index';

/**
 * The demo's path: the app sends Ann an email through the emulator's SMTP server; Ann replies
 * from her inbox (a real MIME reply to the adapter's SMTP listener); the agent answers with the
 * whole thread in hand; a bounce from the inbox fails the delivery.
 */

let emulator: EmailEmulator;
let adapter: SmtpEmailAdapter;
let threadline: Threadline;
let turns: AgentTurn[];

beforeEach(async () => {
  emulator = createEmailEmulator({ inboxes: ['ann@example.com'] });
  await emulator.start();
  const clock = createFakeClock(Date.now());
  adapter = createSmtpEmailAdapter({
    from: 'Acme Agent <agent@acme.example>',
    transport: { host: '127.0.0.1', port: emulator.smtpPort, ignoreTLS: true, pool: false },
    publicUrl: 'http://127.0.0.1:3000/webhooks/email',
    linkSecret: 'a-link-secret-of-at-least-32-characters!',
    replyAddress: 'reply@acme.example',
    listener: { port: 0, recipients: ['agent@acme.example', 'reply@acme.example'] },
    senderAuth: { resolver: emulator.dnsResolver },
    clock,
  });
  turns = [];
  threadline = createThreadline({
    store: createMemoryStore({ clock }),
    adapters: [adapter],
    clock,
    outbox: { pollIntervalMs: 3_600_000 },
    jobs: { pollIntervalMs: 3_600_000 },
    onMessage: async (turn) => {
      turns.push(turn);
      const history = turn.thread.entries.map(
        (entry) => `${entry.direction}: ${entry.text.split('\n').at(-1)}`,
      );
      await turn.reply(`I have ${history.length} messages with you. Thursday it is.`);
    },
  });
  await threadline.start();
  emulator.setApp({ smtp: { port: adapter.listenerPort() as number } });
});

afterEach(async () => {
  await threadline.stop();
  await emulator.stop();
});

describe('email end to end with the emulator', () => {
  it('Ann replies from her inbox and the agent answers in the same email thread', async () => {
    const sent = await threadline.channels.email.send({
      to: { email: 'ann@example.com' },
      subject: 'Your booking',
      richBody: 'Would Thursday at 10 suit you?\n\n::: actions\n- Yes\n- No\n:::',
    });
    expect(sent.status).toBe('sent');
    const [first] = emulator.inbox('ann@example.com');
    expect(first?.html).toContain('data-kind="actions"');
    await emulator.reply('ann@example.com', {
      messageId: first?.messageId as string,
      text: 'Yes, Thursday works.',
    });
    await threadline.idle();
    expect(turns).toHaveLength(1);
    expect(turns[0]?.user.id).toBe(sent.userId);
    expect(turns[0]?.message.text).toBe('Yes, Thursday works.');
    expect(turns[0]?.thread.entries.map((entry) => entry.direction)).toEqual([
      'outbound',
      'inbound',
    ]);
    const answer = emulator.inbox('ann@example.com').at(-1);
    expect(answer?.subject).toBe('Re: Your booking');
    expect(answer?.text).toContain('I have 2 messages with you. Thursday it is.');
    expect(answer?.references.at(-1)).toMatch(/@example\.com>$/);
  });

  it('a bounce from the inbox fails the delivery with 550', async () => {
    const sent = await threadline.channels.email.send({
      to: { email: 'ann@example.com' },
      text: 'Hello',
    });
    await emulator.bounce('ann@example.com', sent.messageId);
    const delivery = await threadline.deliveries.get(sent.deliveryId);
    expect(delivery).toMatchObject({
      status: 'failed',
      error: { providerCode: '550', category: 'unreachable' },
    });
  });
});
