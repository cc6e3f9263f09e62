import type { TestWebhookEvent } from '@threadline/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/index';
import { createHarness, type Harness } from './harness';

const ANN = '+447700900123';

/** About 3,500 characters of words: three messages on the SMS test channel (1,600 each). */
const LONG_TEXT = Array.from({ length: 700 }, (_, index) => `w${index % 10}rd`).join(' ');

/** A logger that keeps its warnings, so a test can see what was not applied. */
function warningLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  const ignore = () => undefined;
  return {
    warnings,
    debug: ignore,
    info: ignore,
    error: ignore,
    warn: (_fields, message) => {
      warnings.push(message ?? '');
    },
  };
}

describe('receipts for a message split into several provider messages', () => {
  let h: Harness;
  afterEach(async () => {
    await h.threadline.stop();
  });

  /** Sends LONG_TEXT by SMS and returns the delivery id and the three provider ids. */
  async function sendSplit() {
    const sent = await h.threadline.channels.send({
      channel: 'sms',
      to: { phoneNumber: ANN },
      text: LONG_TEXT,
    });
    const parts = h.channels.sms.sent[0]?.providerMessageIds ?? [];
    expect(parts).toHaveLength(3);
    return {
      deliveryId: sent.deliveryId,
      messageId: sent.messageId,
      parts: parts as [string, string, string],
    };
  }

  /** Posts one signed status receipt to the SMS channel's webhook. */
  async function receipt(status: Omit<Extract<TestWebhookEvent, { type: 'status' }>, 'type'>) {
    const response = await h.threadline.fetch(
      h.channels.sms.signedRequest({ events: [{ type: 'status', ...status }] }),
    );
    expect(response.status).toBe(200);
  }

  it('records every part, and moves the delivery on part 2 delivered and part 3 failed', async () => {
    const logger = warningLogger();
    h = await createHarness({ logger });
    const { deliveryId, messageId, parts } = await sendSplit();
    expect(messageId).toBe(parts[0]);
    expect(await h.threadline.deliveries.get(deliveryId)).toMatchObject({
      status: 'accepted',
      providerMessageId: parts[0],
      providerMessageIds: parts,
    });
    const statuses: string[] = [];
    h.threadline.on('delivery.status', (event) => statuses.push(event.status));

    await receipt({ id: parts[1], status: 'delivered' });
    expect((await h.threadline.deliveries.get(deliveryId))?.status).toBe('delivered');

    await receipt({
      id: parts[2],
      status: 'failed',
      error: { category: 'unreachable', code: '30003', title: 'Unreachable destination handset' },
    });
    const failed = await h.threadline.deliveries.get(deliveryId);
    expect(failed).toMatchObject({
      status: 'failed',
      error: {
        category: 'unreachable',
        providerCode: '30003',
        message: 'Unreachable destination handset',
      },
    });
    expect(failed?.events.map((event) => [event.status, event.source])).toEqual([
      ['queued', 'dispatcher'],
      ['accepted', 'dispatcher'],
      ['delivered', 'provider'],
      ['failed', 'provider'],
    ]);
    expect(statuses).toEqual(['delivered', 'failed']);
    await h.threadline.idle();
    expect(logger.warnings).toEqual([]);
  });

  it('a late receipt of an earlier part never moves the delivery back', async () => {
    h = await createHarness();
    const { deliveryId, parts } = await sendSplit();
    await receipt({ id: parts[2], status: 'read' });
    await receipt({ id: parts[0], status: 'sent' });
    await receipt({ id: parts[1], status: 'delivered' });
    expect((await h.threadline.deliveries.get(deliveryId))?.status).toBe('read');
  });

  it('a part that fails after another was read leaves the delivery read, with a warning', async () => {
    const logger = warningLogger();
    h = await createHarness({ logger });
    const { deliveryId, parts } = await sendSplit();
    await receipt({ id: parts[0], status: 'read' });
    await receipt({ id: parts[2], status: 'failed', error: { category: 'provider' } });
    expect((await h.threadline.deliveries.get(deliveryId))?.status).toBe('read');
    expect(logger.warnings).toEqual(['failed receipt for a delivery already read; it stays read']);
  });
});
