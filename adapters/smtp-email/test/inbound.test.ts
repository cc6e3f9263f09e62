import type { InboundEvent } from '@threadline/core';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type EmailRuntime, replyMime, startEmailRuntime } from './runtime';
import { type SmtpSink, startSmtpSink } from './smtp-sink';

const sink: SmtpSink = await startSmtpSink();
afterAll(() => sink.close());

let rt: EmailRuntime;
let events: InboundEvent[];
beforeEach(() => sink.reset());
afterEach(async () => {
  await rt.stop();
});

async function start(options: Parameters<typeof startEmailRuntime>[1] = {}) {
  rt = await startEmailRuntime(sink, options, async (turn) => {
    await turn.reply(`Noted: ${turn.message.text}`);
  });
  events = [];
  rt.threadline.on('event.received', ({ event }) => events.push(event));
}

async function annThread() {
  const sent = await rt.threadline.channels.email.send({
    to: { email: 'ann@example.com' },
    subject: 'Your booking',
    text: 'Would Thursday at 10 suit you?',
  });
  const mail = sink.received.at(-1);
  return { sent, mail, messageId: String(mail?.parsed.messageId) };
}

async function entries(userId: string) {
  const [thread] = await rt.store.threads.listByUser(userId);
  return rt.store.threads.read(thread?.id as string);
}

describe('inbound over the SMTP listener', () => {
  it('round-trips threading headers: the reply lands in the thread and the answer replies to it', async () => {
    await start();
    const { sent, messageId } = await annThread();
    expect(messageId).toBe(`<${sent.deliveryId}@acme.example>`);
    await rt.deliver(
      replyMime({
        subject: 'AW: something else entirely',
        messageId: '<ann-1@example.com>',
        inReplyTo: messageId,
        references: [messageId],
        text: 'Yes, Thursday works.\n\nOn Tue, Dec 1, 2026 at 3:04 PM Acme Agent <agent@acme.example> wrote:\n> Would Thursday at 10 suit you?\n',
      }),
    );
    expect(rt.turns).toHaveLength(1);
    expect(rt.turns[0]?.user.id).toBe(sent.userId);
    expect(rt.turns[0]?.message.text).toBe('Yes, Thursday works.');
    const answer = sink.received.at(-1)?.parsed;
    expect(answer?.inReplyTo).toBe('<ann-1@example.com>');
    expect(answer?.references).toEqual([messageId, '<ann-1@example.com>']);
    expect(answer?.subject).toBe('Re: something else entirely');
    expect(answer?.text).toContain('Noted: Yes, Thursday works.');
    const thread = await entries(sent.userId as string);
    expect(thread.map((entry) => [entry.direction, entry.text.split('\n')[0]])).toEqual([
      ['outbound', 'Subject: Your booking'],
      ['inbound', 'Yes, Thursday works.'],
      ['outbound', 'Noted: Yes, Thursday works.'],
    ]);
  });

  it('puts a reply from an unknown alias into the thread its In-Reply-To names', async () => {
    await start();
    const { sent, messageId } = await annThread();
    await rt.deliver(
      replyMime({
        from: 'Ann at home <ann.home@example.com>',
        subject: 'Re: Your booking',
        messageId: '<alias-1@example.com>',
        inReplyTo: messageId,
        text: 'From my other address: yes.',
      }),
      { from: 'ann.home@example.com' },
    );
    expect(rt.turns[0]?.user.id).toBe(sent.userId);
    expect(rt.turns[0]?.message.metadata).toMatchObject({ matchedBy: 'in-reply-to' });
  });

  it('routes a reply without threading headers by its plus-address token', async () => {
    await start();
    const { sent, mail } = await annThread();
    const replyTo = mail?.parsed.replyTo?.value[0]?.address as string;
    expect(replyTo).toMatch(/^reply\+[0-9a-z_-]+\.[0-9a-f]{16}@acme\.example$/);
    await rt.deliver(
      replyMime({
        from: 'ann.work@example.com',
        to: replyTo,
        subject: 'booking',
        messageId: '<plus-1@example.com>',
        text: 'Via the reply address.',
      }),
      { from: 'ann.work@example.com', to: [replyTo] },
    );
    expect(rt.turns[0]?.user.id).toBe(sent.userId);
    expect(rt.turns[0]?.message.metadata).toMatchObject({ matchedBy: 'reply-address' });
  });

  it('never hands a known address to the thread its headers name', async () => {
    await start();
    const { messageId } = await annThread();
    const bob = await rt.threadline.channels.email.send({
      to: { email: 'bob@example.com' },
      text: 'Hi Bob',
    });
    await rt.deliver(
      replyMime({
        from: 'bob@example.com',
        subject: 'Re: Your booking',
        messageId: '<bob-1@example.com>',
        inReplyTo: messageId,
        text: 'I am Bob.',
      }),
      { from: 'bob@example.com' },
    );
    expect(rt.turns[0]?.user.id).toBe(bob.userId);
    expect(rt.turns[0]?.message.metadata).toMatchObject({ matchedBy: 'sender' });
  });

  it('refuses mail for addresses it does not serve (no open relay)', async () => {
    await start();
    const refused = await rt
      .deliver(replyMime({ subject: 'relay', messageId: '<r@example.com>', text: 'x' }), {
        to: ['someone@elsewhere.example'],
      })
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({ responseCode: 550 });
    expect(rt.turns).toHaveLength(0);
  });

  it('refuses a 25 MB message cleanly with 552 and records nothing', async () => {
    await start();
    const big = replyMime({
      subject: 'big',
      messageId: '<big@example.com>',
      text: `${'x'.repeat(76)}\n`.repeat(345_000),
    });
    expect(big.length).toBeGreaterThan(25 * 1024 * 1024);
    const refused = await rt.deliver(big).catch((error: unknown) => error);
    expect(refused).toMatchObject({ responseCode: 552 });
    expect(rt.turns).toHaveLength(0);
    // The listener still works after refusing it.
    await rt.deliver(
      replyMime({ subject: 'small', messageId: '<small@example.com>', text: 'Small one.' }),
    );
    expect(rt.turns.map((turn) => turn.message.text)).toEqual(['Small one.']);
  }, 60_000);

  it('keeps attachments as media', async () => {
    await start();
    const raw = [
      'From: ann@example.com',
      'To: agent@acme.example',
      'Subject: photo',
      'Message-ID: <att-1@example.com>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain',
      '',
      'Here is the photo.',
      '--b1',
      'Content-Type: image/png; name="dot.png"',
      'Content-Disposition: attachment; filename="dot.png"',
      'Content-Transfer-Encoding: base64',
      '',
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
      '--b1--',
      '',
    ].join('\r\n');
    await rt.deliver(raw);
    expect(rt.turns[0]?.message.text).toBe('Here is the photo.');
    expect(rt.turns[0]?.message.media).toEqual([
      expect.objectContaining({
        kind: 'image',
        filename: 'dot.png',
        mimeType: 'image/png',
        url: expect.stringMatching(/^data:image\/png;base64,/),
      }),
    ]);
  });
});

describe('quoted history and signatures', () => {
  const styles = {
    Gmail:
      'Thursday is fine.\n\nOn Tue, Dec 1, 2026 at 3:04 PM Acme Agent <agent@acme.example> wrote:\n\n> Would Thursday at 10 suit you?\n>\n> --\n> Acme\n',
    Outlook:
      'Thursday is fine.\n\n________________________________\nFrom: Acme Agent <agent@acme.example>\nSent: Tuesday, December 1, 2026 3:04 PM\nTo: Ann Example <ann@example.com>\nSubject: Your booking\n\nWould Thursday at 10 suit you?\n',
    'Outlook (Original Message)':
      'Thursday is fine.\n\n-----Original Message-----\nFrom: Acme Agent <agent@acme.example>\nSent: Tuesday, December 1, 2026 3:04 PM\nSubject: Your booking\n\nWould Thursday at 10 suit you?\n',
    'Apple Mail (iPhone)':
      'Thursday is fine.\n\nSent from my iPhone\n\n> On 1 Dec 2026, at 15:04, Acme Agent <agent@acme.example> wrote:\n> \n> Would Thursday at 10 suit you?\n',
    'a -- signature': 'Thursday is fine.\n\n-- \nAnn Example\nHead of Things, Example Ltd\n',
  };
  for (const [style, text] of Object.entries(styles)) {
    it(`keeps only the new text of a ${style}-style reply`, async () => {
      await start();
      await rt.deliver(
        replyMime({
          subject: 'Re: Your booking',
          messageId: `<q-${style.length}@example.com>`,
          text,
        }),
      );
      expect(rt.turns[0]?.message.text).toBe('Thursday is fine.');
    });
  }
});
