import { readFileSync } from 'node:fs';
import { OptedOutError } from '@threadline/core';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type EmailRuntime, startEmailRuntime } from './runtime';
import { type SmtpSink, startSmtpSink } from './smtp-sink';

const sink: SmtpSink = await startSmtpSink();
afterAll(() => sink.close());

let rt: EmailRuntime;
beforeEach(async () => {
  sink.reset();
  rt = await startEmailRuntime(sink, {}, async (turn) => {
    await turn.reply(`Got it: ${turn.message.text}`);
  });
});
afterEach(async () => {
  await rt.stop();
});

const DSN = readFileSync(new URL('./fixtures/dsn-hard-bounce.eml', import.meta.url), 'utf8');

/** The link after `label: ` in the text part of the last email. */
function linkIn(label: string): string {
  const text = String(sink.received.at(-1)?.parsed.text);
  const url = new RegExp(`${label}: (https://\\S+)`).exec(text)?.[1];
  if (url === undefined) throw new Error(`no ${label} link in ${text}`);
  return url;
}

describe('statuses and bounces', () => {
  it('reports sent once the SMTP server accepted the message', async () => {
    const sent = await rt.threadline.channels.email.send({
      to: { email: 'ann@example.com' },
      text: 'Hello',
    });
    expect(sent).toMatchObject({
      status: 'sent',
      delivered: true,
      messageId: `<${sent.deliveryId}@acme.example>`,
    });
  });

  it('fails the delivery with the SMTP code when a DSN bounce arrives, and suppresses the mailbox', async () => {
    const sent = await rt.threadline.channels.email.send({
      to: { email: 'nobody@example.com' },
      text: 'Your order',
    });
    const bounce = DSN.replace(/<d_9@acme\.example>/g, sent.messageId as string).replace(
      /\n/g,
      '\r\n',
    );
    await rt.deliver(bounce, { from: '', to: ['agent@acme.example'], helo: 'mx.example.com' });
    const delivery = await rt.threadline.deliveries.get(sent.deliveryId);
    expect(delivery?.status).toBe('failed');
    expect(delivery?.error).toMatchObject({ category: 'unreachable', providerCode: '550' });
    const again = await rt.threadline.channels.email
      .send({ to: { email: 'nobody@example.com' }, text: 'Second try' })
      .catch((error: unknown) => error);
    expect(again).toBeInstanceOf(OptedOutError);
    expect(rt.turns).toHaveLength(0);
  });

  it('retries a soft bounce (4xx at SMTP) through the outbox with backoff', async () => {
    sink.failNext(452, '4.2.2 mailbox full');
    const sent = await rt.threadline.channels.email.send({
      to: { email: 'ann@example.com' },
      text: 'Retry me',
    });
    expect(sent.status).toBe('queued');
    expect(sent.warning).toContain('retrying');
    const queued = await rt.threadline.deliveries.get(sent.deliveryId);
    expect(queued?.error).toMatchObject({
      category: 'throttled',
      retryable: true,
      providerCode: '452',
    });
    rt.clock.advance(10 * 60_000);
    await rt.threadline.runDue();
    expect((await rt.threadline.deliveries.get(sent.deliveryId))?.status).toBe('sent');
    expect(sink.received).toHaveLength(1);
  });
});

describe('one-click unsubscribe', () => {
  it('records the opt-out from the RFC 8058 POST, after which email.send throws OptedOutError', async () => {
    await rt.threadline.channels.email.send({ to: { email: 'ann@example.com' }, text: 'News' });
    const url = linkIn('Unsubscribe');
    const response = await rt.threadline.fetch(
      new Request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      }),
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('You are unsubscribed');
    expect(
      await rt.store.consent.isOptedOut({ channel: 'email', address: 'ann@example.com' }),
    ).toBe(true);
    const error = await rt.threadline.channels.email
      .send({ to: { email: 'ann@example.com' }, text: 'More news' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OptedOutError);
  });

  it('shows a page on GET and refuses a tampered or expired link', async () => {
    await rt.threadline.channels.email.send({ to: { email: 'ann@example.com' }, text: 'News' });
    const url = linkIn('Unsubscribe');
    const page = await rt.threadline.fetch(new Request(url));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post"');
    expect(
      await rt.store.consent.isOptedOut({ channel: 'email', address: 'ann@example.com' }),
    ).toBe(false);
    const tampered = await rt.threadline.fetch(
      new Request(`${url.slice(0, -3)}xyz`, { method: 'POST' }),
    );
    expect(tampered.status).toBe(401);
    rt.clock.advance(400 * 24 * 3_600_000);
    const expired = await rt.threadline.fetch(new Request(url, { method: 'POST' }));
    expect(expired.status).toBe(410);
    expect(
      await rt.store.consent.isOptedOut({ channel: 'email', address: 'ann@example.com' }),
    ).toBe(false);
  });
});

describe('action buttons', () => {
  it('records a confirmed choice as the recipient’s message with its payload, once', async () => {
    const sent = await rt.threadline.channels.email.send({
      to: { email: 'ann@example.com' },
      richBody: 'Shall we book Thursday?\n\n::: actions\n- Yes please\n- No thanks\n:::',
    });
    const url = linkIn('Yes please');
    const confirm = await rt.threadline.fetch(new Request(url));
    expect(await confirm.text()).toContain('Confirm your choice');
    expect(rt.turns).toHaveLength(0);
    const first = await rt.threadline.fetch(new Request(url, { method: 'POST' }));
    expect(first.status).toBe(200);
    expect(await first.text()).toContain('Your choice &quot;Yes please&quot; was sent.');
    await rt.threadline.fetch(new Request(url, { method: 'POST' }));
    await rt.threadline.idle();
    expect(rt.turns).toHaveLength(1);
    expect(rt.turns[0]?.user.id).toBe(sent.userId);
    expect(rt.turns[0]?.message).toMatchObject({
      text: 'Yes please',
      payload: 'Yes please',
      replyTo: sent.messageId,
    });
    expect(sink.received.at(-1)?.parsed.text).toContain('Got it: Yes please');
  });

  it('refuses an action link after it expires', async () => {
    await rt.threadline.channels.email.send({
      to: { email: 'ann@example.com' },
      richBody: 'Pick\n\n::: actions\n- A\n:::',
    });
    const url = linkIn('A');
    rt.clock.advance(31 * 24 * 3_600_000);
    const response = await rt.threadline.fetch(new Request(url, { method: 'POST' }));
    expect(response.status).toBe(410);
    expect(rt.turns).toHaveLength(0);
  });
});
