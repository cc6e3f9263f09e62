import { afterEach, describe, expect, it } from 'vitest';
import type { ThreadlineEventMap } from '../../src/index';
import { createHarness, type Harness } from './harness';

type Unmatched = ThreadlineEventMap['receipt.unmatched'];

describe('receipts for messages Threadline did not send', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.threadline.stop();
    h = undefined;
  });

  async function postReceipt(harness: Harness, id: string) {
    const response = await harness.threadline.fetch(
      harness.channels.sms.signedRequest({ events: [{ type: 'status', id, status: 'delivered' }] }),
    );
    expect(response.status).toBe(200);
  }

  it('are told to the host as receipt.unmatched after every lookup', async () => {
    h = await createHarness({ inbound: { receiptRetryDelaysMs: [0, 0] } });
    const seen: Unmatched[] = [];
    h.threadline.on('receipt.unmatched', (event) => seen.push(event));

    await postReceipt(h, 'SM-sent-from-the-console');
    await h.threadline.idle();

    expect(seen).toEqual([
      {
        adapterId: 'sms',
        channel: 'sms',
        providerMessageId: 'SM-sent-from-the-console',
        status: 'delivered',
        timestamp: expect.any(Date),
        attempts: 3,
        reason: 'not_found',
      },
    ]);
  });

  it('are not reported for a delivery Threadline did send', async () => {
    h = await createHarness({ inbound: { receiptRetryDelaysMs: [0, 0] } });
    const seen: Unmatched[] = [];
    h.threadline.on('receipt.unmatched', (event) => seen.push(event));
    const sent = await h.threadline.channels.send({
      channel: 'sms',
      to: { phoneNumber: '+447700900123' },
      text: 'hi',
    });
    const delivery = await h.threadline.deliveries.get(sent.deliveryId);
    await postReceipt(h, delivery?.providerMessageId as string);
    await h.threadline.idle();
    expect(seen).toEqual([]);
    expect((await h.threadline.deliveries.get(sent.deliveryId))?.status).toBe('delivered');
  });

  it('do not hold stop(): it ends the wait and reports the receipt as stopped', async () => {
    // An hour between lookups: stop() would sit it out if it did not cancel the wait.
    h = await createHarness({ inbound: { receiptRetryDelaysMs: [3_600_000] } });
    const seen: Unmatched[] = [];
    h.threadline.on('receipt.unmatched', (event) => seen.push(event));

    await postReceipt(h, 'SM-unknown');
    await h.threadline.stop();

    expect(seen).toMatchObject([
      { providerMessageId: 'SM-unknown', attempts: 1, reason: 'stopped' },
    ]);
    h = undefined;
  });
});
