import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/index';
import { resetDeprecationWarnings } from '../../src/runtime/deprecation';
import { createHarness, type Harness } from './harness';

const ANN = '+447700900123';

/** A logger that keeps its warnings, so a test can count deprecation notices. */
function recordingLogger(): Logger & { warnings: Array<Record<string, unknown>> } {
  const warnings: Array<Record<string, unknown>> = [];
  const ignore = () => {};
  return {
    warnings,
    debug: ignore,
    info: ignore,
    error: ignore,
    warn: (fields) => warnings.push(fields),
  };
}

function deprecations(logger: { warnings: Array<Record<string, unknown>> }): unknown[] {
  return logger.warnings.map((fields) => fields.deprecation).filter(Boolean);
}

describe('one name per concept: `from` for the sender, `template: { name, languageCode }`', () => {
  let h: Harness;
  beforeEach(() => resetDeprecationWarnings());
  afterEach(async () => {
    await h.threadline.stop();
  });

  it('takes the same sender and template shape on sendTemplate, channels.sendTemplate and bulk', async () => {
    h = await createHarness();
    const template = { name: 'order_update', languageCode: 'en_GB' };
    const single = await h.threadline.channels.whatsapp.sendTemplate({
      to: { phoneNumber: ANN },
      from: 'wa',
      template,
    });
    const generic = await h.threadline.channels.sendTemplate({
      channel: 'whatsapp',
      to: { phoneNumber: ANN },
      from: 'wa',
      template,
    });
    const bulk = await h.threadline.templates.whatsapp.send({
      from: 'wa',
      template,
      phoneNumbers: [ANN],
    });

    expect([single.from, generic.from, bulk.results[0]?.deliveryId !== undefined]).toEqual([
      'wa',
      'wa',
      true,
    ]);
    expect(h.channels.whatsapp.sent.map((sent) => sent.envelope.template)).toEqual([
      template,
      template,
      template,
    ]);
    expect(single.warnings).toEqual([]);
    expect(bulk.warnings).toBeUndefined();
  });

  it('still takes the 0.x forms, warning in the result each time and in the log once per process', async () => {
    const logger = recordingLogger();
    h = await createHarness({ logger });

    const first = await h.threadline.channels.whatsapp.sendTemplate({
      to: { phoneNumber: ANN },
      templateName: 'order_update',
      languageCode: 'en_GB',
      options: { channelIdentifier: 'wa' },
    });
    const second = await h.threadline.channels.sendTemplate('whatsapp', {
      to: { phoneNumber: ANN },
      templateName: 'order_update',
      languageCode: 'en_GB',
    });
    const bulk = await h.threadline.templates.whatsapp.send('wa', 'order_update', {
      phoneNumbers: [ANN],
      languageCode: 'en_GB',
    });
    const bulkAgain = await h.threadline.templates.whatsapp.send('wa', 'order_update', {
      phoneNumbers: [ANN],
      languageCode: 'en_GB',
    });
    const text = await h.threadline.channels.send({
      channel: 'sms',
      to: { phoneNumber: ANN },
      text: 'hi',
      options: { channelIdentifier: 'sms' },
    });

    expect(h.channels.whatsapp.sent.map((sent) => sent.envelope.template)).toEqual(
      Array(4).fill({ name: 'order_update', languageCode: 'en_GB' }),
    );
    expect(first.from).toBe('wa');
    expect(text.from).toBe('sms');
    expect(first.warnings.map((warning) => warning.code)).toEqual([
      'deprecated_input',
      'deprecated_input',
    ]);
    expect(second.warnings.map((warning) => warning.code)).toEqual([
      'deprecated_input',
      'deprecated_input',
    ]);
    expect(bulkAgain.warnings?.map((warning) => warning.code)).toEqual(['deprecated_input']);
    expect(bulk.results).toHaveLength(1);
    expect(deprecations(logger)).toEqual([
      'THREADLINE_DEP_TEMPLATE_FIELDS',
      'THREADLINE_DEP_CHANNEL_IDENTIFIER',
      'THREADLINE_DEP_SEND_TEMPLATE_CHANNEL',
      'THREADLINE_DEP_BULK_POSITIONAL',
    ]);
  });

  it('refuses an old-form sender that contradicts from', async () => {
    h = await createHarness({ logger: recordingLogger() });
    await expect(
      h.threadline.channels.send({
        channel: 'sms',
        to: { phoneNumber: ANN },
        text: 'hi',
        from: 'sms',
        options: { channelIdentifier: 'other' },
      }),
    ).rejects.toThrow(/options.channelIdentifier: names another sender than from/);
  });
});

describe('deprecation notices without a logger', () => {
  beforeEach(() => resetDeprecationWarnings());

  it('become a Node DeprecationWarning, once per process', async () => {
    const h = await createHarness();
    const codes: unknown[] = [];
    const listener = (warning: Error & { code?: string }) => codes.push(warning.code);
    process.on('warning', listener);
    try {
      for (const text of ['a', 'b']) {
        await h.threadline.channels.send({
          channel: 'sms',
          to: { phoneNumber: ANN },
          text,
          options: { channelIdentifier: 'sms' },
        });
      }
      await new Promise((resolve) => setImmediate(resolve));
      expect(codes).toEqual(['THREADLINE_DEP_CHANNEL_IDENTIFIER']);
    } finally {
      process.off('warning', listener);
      await h.threadline.stop();
    }
  });
});
