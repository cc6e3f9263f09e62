import { createMemoryStore } from '@threadline/store-memory';
import { createFakeClock, createTestAdapter } from '@threadline/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { SEND_TIMEOUT_CODE, SendTimeoutError } from '../../src/index';
import { createChannels, createHarness, type Harness } from './harness';

const ANN = '+447700900123';

describe('the send timeout', () => {
  const harnesses: Harness[] = [];
  afterEach(async () => {
    await Promise.all(harnesses.splice(0).map((harness) => harness.threadline.stop()));
  });

  it('aborts the adapter’s signal with a retryable SendTimeoutError and retries the delivery', async () => {
    const clock = createFakeClock();
    const channels = createChannels(clock);
    const signals: AbortSignal[] = [];
    const sms = createTestAdapter({
      id: 'sms',
      channel: 'sms',
      clock,
      capabilities: channels.sms.capabilities,
      // A provider call that only ends when its signal is aborted.
      onSend: (_envelope, call, options) =>
        call > 1
          ? undefined
          : new Promise<void>((resolve) => {
              const signal = options?.signal as AbortSignal;
              signals.push(signal);
              signal.addEventListener('abort', () => resolve());
            }),
    });
    const h = await createHarness({
      clock,
      store: createMemoryStore({ clock }),
      channels: { ...channels, sms },
      outbox: { pollIntervalMs: 3_600_000, sendTimeoutMs: 30 },
    });
    harnesses.push(h);

    const result = await h.threadline.channels.send({
      channel: 'sms',
      to: { phoneNumber: ANN },
      text: 'slow provider',
    });

    expect(signals).toHaveLength(1);
    expect(signals[0]?.aborted).toBe(true);
    expect(signals[0]?.reason).toBeInstanceOf(SendTimeoutError);
    expect(signals[0]?.reason).toMatchObject({
      code: SEND_TIMEOUT_CODE,
      category: 'provider',
      retryable: true,
      timeoutMs: 30,
    });
    expect(result).toMatchObject({ status: 'queued', delivered: false });
    expect(await h.threadline.deliveries.get(result.deliveryId)).toMatchObject({
      status: 'queued',
      error: { code: SEND_TIMEOUT_CODE, retryable: true },
    });
    expect(sms.sent).toHaveLength(0);

    clock.advance(600_000);
    await h.threadline.runDue();
    expect(sms.sent.map((sent) => sent.envelope.text)).toEqual(['slow provider']);
  });
});
