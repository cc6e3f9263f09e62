import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import {
  DeliveryError,
  type DeliveryFailure,
  SEND_WARNING_CODES,
  type SendOutput,
  type SendWarningCode,
} from '../../src/index';
import { createChannels, createHarness, type Harness, HOUR } from './harness';

const ANN = '+447700900123';
const US = '+14155550123';

/** The fields each outcome carries, read only after narrowing on `outcome`. */
function describeResult(result: SendOutput): string {
  switch (result.outcome) {
    case 'sent':
      expectTypeOf(result.messageId).toEqualTypeOf<string>();
      return `sent ${result.messageId}`;
    case 'queued':
      expectTypeOf(result.retryAt).toEqualTypeOf<Date>();
      expectTypeOf(result.lastError).toEqualTypeOf<DeliveryFailure | undefined>();
      return `queued until ${result.retryAt.toISOString()} after ${result.lastError?.code}`;
    case 'held':
      return 'held';
    case 'scheduled':
      expectTypeOf(result.sendAt).toEqualTypeOf<Date>();
      return `scheduled for ${result.sendAt.toISOString()}`;
  }
}

describe('send results', () => {
  let h: Harness;
  afterEach(async () => {
    await h.threadline.stop();
  });

  it('is sent, carrying the provider message id, when the provider accepts it', async () => {
    h = await createHarness();
    const result = await h.threadline.channels.send({
      channel: 'sms',
      to: { phoneNumber: ANN },
      text: 'Your order shipped',
    });
    expect(result).toMatchObject({ outcome: 'sent', delivered: true, warnings: [] });
    expect(describeResult(result)).toBe(`sent ${h.channels.sms.sent[0]?.providerMessageIds[0]}`);
  });

  it('is queued with retryAt, lastError and a typed retrying warning after a retryable first failure', async () => {
    h = await createHarness();
    h.channels.sms.failNextWith('throttled', { retryAfterMs: 30_000 });
    const result = await h.threadline.channels.send({
      channel: 'sms',
      to: { phoneNumber: ANN },
      text: 'Your order shipped',
    });
    const stored = await h.threadline.deliveries.get(result.deliveryId);
    expect(result).toMatchObject({
      outcome: 'queued',
      delivered: false,
      retryAt: stored?.nextAttemptAt,
      lastError: { category: 'throttled', retryable: true },
    });
    expect(result.warnings.map((warning) => warning.code)).toEqual(['retrying']);
    expect(result.outcome === 'queued' && result.retryAt.getTime()).toBeGreaterThanOrEqual(
      h.clock.now() + 30_000,
    );
    expect(describeResult(result)).toMatch(/^queued until /);
  });

  it('throws a permanent first failure instead of resolving', async () => {
    h = await createHarness();
    h.channels.sms.failNextWith('invalid_request');
    await expect(
      h.threadline.channels.send({ channel: 'sms', to: { phoneNumber: ANN }, text: 'Hi' }),
    ).rejects.toBeInstanceOf(DeliveryError);
  });

  it('replays a permanently failed send as the same error, never as a result', async () => {
    h = await createHarness();
    h.channels.sms.failNextWith('invalid_request');
    const input = {
      channel: 'sms',
      to: { phoneNumber: ANN },
      text: 'Hi',
      options: { idempotencyKey: 'order-1' },
    };
    await expect(h.threadline.channels.send(input)).rejects.toBeInstanceOf(DeliveryError);
    await expect(h.threadline.channels.send(input)).rejects.toMatchObject({
      category: 'invalid_request',
    });
  });

  it('is held behind a closed window with a window_closed_template_sent warning', async () => {
    h = await createHarness();
    await h.channels.whatsapp.receive({ from: ANN, text: 'hi' });
    await h.threadline.idle();
    const userId = h.turns[0]?.user.id as string;
    h.clock.advance(25 * HOUR);

    const result = await h.threadline.channels.send({
      channel: 'whatsapp',
      to: { userId },
      text: 'Your order shipped',
    });

    expect(result).toMatchObject({ outcome: 'held', delivered: false, persisted: false });
    expect(result.warnings.map((warning) => warning.code)).toEqual(['window_closed_template_sent']);
  });

  it('warns with marketing_to_us_number when the re-engagement template is MARKETING', async () => {
    h = await createHarness();
    await h.threadline.stop();
    h = await createHarness({
      channels: createChannels(h.clock, {
        reEngagementTemplate: { name: 'promo', languageCode: 'en_US', category: 'MARKETING' },
      }),
      clock: h.clock,
    });
    await h.channels.whatsapp.receive({ from: US, text: 'hi' });
    await h.threadline.idle();
    h.clock.advance(25 * HOUR);

    const result = await h.threadline.channels.send({
      channel: 'whatsapp',
      to: { phoneNumber: US },
      text: 'Back in stock',
    });

    const codes: SendWarningCode[] = result.warnings.map((warning) => warning.code);
    expect(codes).toContain('marketing_to_us_number');
    expect(SEND_WARNING_CODES).toContain('marketing_to_us_number');
  });

  it('is scheduled, carrying sendAt, for a later send', async () => {
    h = await createHarness();
    const sendAt = new Date(h.clock.now() + 60_000);
    const result = await h.threadline.channels.send({
      channel: 'sms',
      to: { phoneNumber: ANN },
      text: 'Reminder',
      options: { sendAt },
    });
    expect(result).toMatchObject({ outcome: 'scheduled', delivered: false, sendAt });
    expect(h.channels.sms.sent).toHaveLength(0);
  });
});
