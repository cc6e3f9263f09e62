import { parseMessage } from '@threadline/core';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createSmtpEmailAdapter } from '../src/index';
import { type SmtpSink, sinkTransport, startSmtpSink } from './smtp-sink';

const sink: SmtpSink = await startSmtpSink();
afterAll(() => sink.close());
beforeEach(() => sink.reset());

const SECRET = 'a-link-secret-of-at-least-32-characters!';

function adapter() {
  return createSmtpEmailAdapter({
    from: 'Acme Agent <agent@acme.example>',
    transport: sinkTransport(sink),
    publicUrl: 'https://acme.example/webhooks/email',
    linkSecret: SECRET,
  });
}

describe('sending email', () => {
  it('sends text and HTML from ::: components with a Message-ID per delivery', async () => {
    const text =
      'Your options, **Ann**:\n\n::: list-item\n![image](https://acme.example/a.png)\n#Blue plan\n##£5 a month\nFor one person.\n:::\n\n::: actions\n- Choose blue\n- Talk to a person\n:::';
    const result = await adapter().send({
      deliveryId: 'd_1',
      to: { address: 'ann@example.com' },
      text,
      parts: parseMessage(text),
    });
    expect(result).toEqual({ providerMessageId: '<d_1@acme.example>', status: 'sent' });
    const [mail] = sink.received;
    expect(mail?.envelope.to).toEqual(['ann@example.com']);
    expect(mail?.parsed.messageId).toBe('<d_1@acme.example>');
    expect(mail?.parsed.subject).toBe('Your options, Ann:');
    const html = String(mail?.parsed.html);
    expect(html).toContain('<strong>Ann</strong>');
    expect(html).toContain('data-kind="list-item"');
    expect(html).toContain('src="https://acme.example/a.png"');
    expect(html.match(/href="https:\/\/acme\.example\/webhooks\/email\/action\?t=/g)).toHaveLength(
      2,
    );
    expect(mail?.parsed.text).toContain('Blue plan');
    expect(mail?.parsed.text).toMatch(
      /Choose blue: https:\/\/acme\.example\/webhooks\/email\/action\?t=\S+/,
    );
  });

  it('sends List-Unsubscribe with one-click List-Unsubscribe-Post (RFC 8058)', async () => {
    await adapter().send({ deliveryId: 'd_2', to: { address: 'ann@example.com' }, text: 'Hi' });
    // Unfolded (RFC 5322 §2.2.3): the long link is folded onto a continuation line.
    const raw = (sink.received[0]?.raw.toString() ?? '').replace(/\r\n[ \t]+/g, ' ');
    expect(raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r$/m);
    expect(raw).toMatch(
      /List-Unsubscribe: <https:\/\/acme\.example\/webhooks\/email\/unsubscribe\?t=/,
    );
  });

  it('passes subject, cc, bcc, threading headers and host HTML from email.send fields', async () => {
    await adapter().send({
      deliveryId: 'd_3',
      to: { address: 'ann@example.com' },
      text: 'Plain twin',
      email: {
        subject: 'Your receipt',
        html: '<p>Receipt <b>#42</b></p>',
        cc: ['bob@example.com'],
        bcc: ['audit@acme.example'],
        inReplyTo: '<m1@example.com>',
        references: ['<m0@example.com>', '<m1@example.com>'],
      },
    });
    const mail = sink.received[0];
    expect(mail?.envelope.to.sort()).toEqual([
      'ann@example.com',
      'audit@acme.example',
      'bob@example.com',
    ]);
    expect(mail?.parsed.subject).toBe('Your receipt');
    expect(mail?.parsed.html).toBe('<p>Receipt <b>#42</b></p>');
    expect(mail?.parsed.text?.startsWith('Plain twin')).toBe(true);
    expect(mail?.parsed.inReplyTo).toBe('<m1@example.com>');
    expect(mail?.parsed.references).toEqual(['<m0@example.com>', '<m1@example.com>']);
    expect(mail?.raw.toString()).not.toMatch(/^Bcc:/m);
  });

  it('keeps the same Message-ID when a delivery is retried', async () => {
    const email = adapter();
    sink.failNext(451, '451 4.3.0 try again later');
    const first = await email
      .send({ deliveryId: 'd_4', to: { address: 'ann@example.com' }, text: 'Hi' })
      .catch((error: unknown) => error);
    expect(first).toMatchObject({ category: 'provider', retryable: true, providerCode: '451' });
    const second = await email.send({
      deliveryId: 'd_4',
      to: { address: 'ann@example.com' },
      text: 'Hi',
    });
    expect(second.providerMessageId).toBe('<d_4@acme.example>');
  });

  it('escapes HTML in the agent text and never links javascript: URLs', async () => {
    const text = '<script>alert(1)</script>\n\n::: links\n[Click](javascript:alert(1))\n:::';
    await adapter().send({
      deliveryId: 'd_5',
      to: { address: 'ann@example.com' },
      text,
      parts: parseMessage(text),
    });
    const html = String(sink.received[0]?.parsed.html);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toContain('href="javascript:');
  });
});
