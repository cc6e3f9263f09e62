import { ConfigError, DeliveryError } from '@threadline/core';
import { createTransport } from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { toDeliveryError } from '../src/errors';
import { createSmtpEmailAdapter, smtpErrorRule } from '../src/index';

const transport = { host: 'smtp.acme.example' };

describe('options', () => {
  it('names every bad option in one ConfigError', () => {
    const error = (() => {
      try {
        createSmtpEmailAdapter({
          from: '',
          transport: { host: '' },
          publicUrl: 'https://acme.example/webhooks/email',
          linkSecret: 'too-short',
        });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    const message = String((error as Error).message);
    expect(message).toContain('from');
    expect(message).toContain('transport');
    expect(message).toContain('linkSecret');
  });

  it('requires linkSecret for publicUrl and replyAddress', () => {
    expect(() =>
      createSmtpEmailAdapter({
        from: 'a@acme.example',
        transport,
        publicUrl: 'https://acme.example/w',
      }),
    ).toThrow(/linkSecret/);
    expect(() =>
      createSmtpEmailAdapter({
        from: 'a@acme.example',
        transport,
        replyAddress: 'reply@acme.example',
      }),
    ).toThrow(/linkSecret/);
  });

  it('takes any nodemailer transport and claims actions natively only when links can be signed', () => {
    const plain = createSmtpEmailAdapter({
      from: 'a@acme.example',
      transport: createTransport({ jsonTransport: true }),
    });
    expect(plain.capabilities.components.actions.mode).toBe('fallback');
    const linked = createSmtpEmailAdapter({
      from: 'a@acme.example',
      transport,
      publicUrl: 'https://acme.example/webhooks/email',
      linkSecret: 'a-link-secret-of-at-least-32-characters!',
    });
    expect(linked.capabilities.components.actions.mode).toBe('native');
    expect(linked.capabilities.reach).toEqual({
      cold: 'free-form',
      addressBy: ['userId', 'email'],
      identity: 'email',
    });
    expect(linked.capabilities.window).toBeNull();
  });
});

describe('SMTP error table', () => {
  it('prefers the enhanced status, then the reply code, then its class', () => {
    expect(smtpErrorRule(550, '550 5.7.26 unauthenticated sender')?.category).toBe('compliance');
    expect(smtpErrorRule(550, '550 5.1.1 user unknown')?.category).toBe('unreachable');
    expect(smtpErrorRule(535)?.category).toBe('auth');
    expect(smtpErrorRule(499)).toMatchObject({ category: 'provider', retryable: true });
    expect(smtpErrorRule(599)).toMatchObject({ category: 'unknown', retryable: false });
  });

  it('maps nodemailer connection errors to retryable provider failures', () => {
    const error = toDeliveryError(
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNECTION' }),
    );
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({
      category: 'provider',
      retryable: true,
      providerCode: 'ECONNECTION',
      provider: 'smtp',
    });
    expect(
      toDeliveryError(
        Object.assign(new Error('bad login'), {
          code: 'EAUTH',
          responseCode: 535,
          response: '535 5.7.8 bad credentials',
        }),
      ),
    ).toMatchObject({
      category: 'auth',
      retryable: false,
      providerCode: '535',
    });
  });
});
