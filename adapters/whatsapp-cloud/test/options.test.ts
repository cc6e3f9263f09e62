import { CapabilitiesSchema, ConfigError } from '@threadline/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createWhatsAppCloudAdapter,
  DEFAULT_API_VERSION,
  DEFAULT_BASE_URL,
  whatsAppCapabilities,
} from '../src/index';
import { baseOptions } from './graph';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('options', () => {
  it('default the id, API version, base URL and rate', () => {
    const adapter = createWhatsAppCloudAdapter({
      phoneNumberId: '106540352242922',
      accessToken: 't',
      appSecret: 's',
      verifyToken: 'v',
    });
    expect(adapter).toMatchObject({
      id: 'whatsapp-106540352242922',
      channel: 'whatsapp',
      provider: 'meta',
      phoneNumberId: '106540352242922',
    });
    expect(adapter.capabilities.rate).toEqual({
      perSecond: 80,
      perRecipient: { messages: 1, perSeconds: 6 },
    });
    expect(DEFAULT_API_VERSION).toMatch(/^v\d+\.0$/);
    expect(DEFAULT_BASE_URL).toBe('https://graph.facebook.com');
  });

  it('fall back to WHATSAPP_* environment variables for what is not given', () => {
    vi.stubEnv('WHATSAPP_PHONE_NUMBER_ID', '555');
    vi.stubEnv('WHATSAPP_ACCESS_TOKEN', 'env-token');
    vi.stubEnv('WHATSAPP_APP_SECRET', 'env-secret');
    vi.stubEnv('WHATSAPP_VERIFY_TOKEN', 'env-verify');
    expect(createWhatsAppCloudAdapter({}).id).toBe('whatsapp-555');
    expect(createWhatsAppCloudAdapter({ phoneNumberId: '777' }).id).toBe('whatsapp-777');
  });

  it('refuse what Meta would refuse, naming each option', () => {
    const attempt = (patch: Record<string, unknown>) => {
      try {
        createWhatsAppCloudAdapter({ ...baseOptions, ...patch } as never);
      } catch (error) {
        return error;
      }
      return undefined;
    };
    expect(attempt({ phoneNumberId: '+1 650' })).toBeInstanceOf(ConfigError);
    expect((attempt({ rate: { perSecond: 1_001 } }) as ConfigError).issues[0]?.path).toBe(
      'rate.perSecond',
    );
    expect((attempt({ apiVersion: '25' }) as ConfigError).issues[0]?.path).toBe('apiVersion');
    expect(
      (attempt({ interactive: { listButton: 'x'.repeat(21) } }) as ConfigError).issues[0]?.path,
    ).toBe('interactive.listButton');
    expect((attempt({ accessToken: '' }) as ConfigError).message).toContain('accessToken');
    expect((attempt({ surprise: true }) as ConfigError).message).toContain('surprise');
  });

  it('expose the re-engagement template, falling back to the default template', () => {
    const both = createWhatsAppCloudAdapter({
      ...baseOptions,
      defaultTemplate: { name: 'hello_world' },
      reEngagementTemplate: { name: 'reopen_chat', languageCode: 'en_GB', category: 'UTILITY' },
    });
    expect(both.reEngagementTemplate).toEqual({
      name: 'reopen_chat',
      languageCode: 'en_GB',
      category: 'UTILITY',
    });
    expect(both.defaultTemplate).toEqual({ name: 'hello_world', languageCode: 'en_US' });
    const onlyDefault = createWhatsAppCloudAdapter({
      ...baseOptions,
      defaultTemplate: { name: 'hi' },
    });
    expect(onlyDefault.reEngagementTemplate).toEqual({ name: 'hi', languageCode: 'en_US' });
    expect(createWhatsAppCloudAdapter(baseOptions).reEngagementTemplate).toBeUndefined();
  });
});

describe('the 0.x template option `language`', () => {
  it('still works for one minor, as languageCode, with one DeprecationWarning per process', async () => {
    const warnings: Array<{ code?: string }> = [];
    const listener = (warning: Error & { code?: string }) => warnings.push(warning);
    process.on('warning', listener);
    try {
      const legacy = { name: 'reopen_chat', language: 'en_GB', category: 'UTILITY' } as const;
      const first = createWhatsAppCloudAdapter({ ...baseOptions, reEngagementTemplate: legacy });
      createWhatsAppCloudAdapter({ ...baseOptions, defaultTemplate: legacy });
      // emitWarning delivers on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
      expect(first.reEngagementTemplate).toEqual({
        name: 'reopen_chat',
        languageCode: 'en_GB',
        category: 'UTILITY',
      });
      expect(warnings.map((warning) => warning.code)).toEqual([
        'THREADLINE_DEP_WHATSAPP_TEMPLATE_LANGUAGE',
      ]);
    } finally {
      process.off('warning', listener);
    }
  });
});

describe('capabilities', () => {
  it('declare the 24 h window, template-only cold reach by phone and the four receipts', () => {
    const capabilities = whatsAppCapabilities();
    expect(CapabilitiesSchema.parse(capabilities)).toEqual(capabilities);
    expect(capabilities).toMatchObject({
      reach: { cold: 'template-only', addressBy: ['userId', 'phoneNumber'], identity: 'phone' },
      window: { hours: 24, outside: 'template' },
      receipts: ['sent', 'delivered', 'read', 'failed'],
      text: { maxLength: 4096, format: 'whatsapp', maxParts: 10 },
      features: { reactions: true, typing: true, markRead: true, streaming: false, replyTo: true },
    });
  });

  it('follow the configured rate and carousel template', () => {
    const adapter = createWhatsAppCloudAdapter({
      ...baseOptions,
      rate: { perSecond: 1_000 },
      carouselTemplate: { name: 'cards' },
    });
    expect(adapter.capabilities.rate.perSecond).toBe(1_000);
    expect(adapter.capabilities.components['horizontal-list-item']).toEqual({
      mode: 'native',
      max: 10,
    });
    expect(whatsAppCapabilities().components['horizontal-list-item']).toEqual({ mode: 'fallback' });
  });
});
