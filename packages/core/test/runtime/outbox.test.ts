import { createMemoryStore } from '@threadline/store-memory';
import { createFakeClock, createTestAdapter } from '@threadline/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../src/index';
import { createChannels, createHarness, type Harness } from './harness';

const ANN = '+447700900123';

describe('the outbox', () => {
  const harnesses: Harness[] = [];
  afterEach(async () => {
    await Promise.all(harnesses.splice(0).map((harness) => harness.threadline.stop()));
  });
  const start = async (options: Parameters<typeof createHarness>[0] = {}) => {
    const harness = await createHarness(options);
    harnesses.push(harness);
    return harness;
  };

  it('retries a throttled send after its Retry-After, not before', async () => {
    const h = await start();
    h.channels.sms.failNextWith('throttled', { retryAfterMs: 30_000 });

    const result = await h.threadline.channels.send({
      channel: 'sms',
      to: { phoneNumber: ANN },
      text: 'busy?',
    });
    expect(result).toMatchObject({ status: 'queued', delivered: false });
    expect(result.warning).toMatch(/first attempt failed.*retrying at/);

    h.clock.advance(29_999);
    await h.threadline.runDue();
    expect(h.channels.sms.calls).toBe(1);

    h.clock.advance(2_000);
    await h.threadline.runDue();
    expect(h.channels.sms.calls).toBe(2);
    const delivery = await h.threadline.deliveries.get(result.deliveryId);
    expect(delivery).toMatchObject({ status: 'accepted', attempts: 2 });
  });

  it('fails a permanent error at once, after one provider call', async () => {
    const h = await start();
    h.channels.sms.failNextWith('invalid_request');

    const error = await h.threadline.channels
      .send({ channel: 'sms', to: { phoneNumber: ANN }, text: 'bad' })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ category: 'invalid_request', retryable: false });
    const deliveryId = (error as DeliveryError).deliveryId as string;
    expect(await h.threadline.deliveries.get(deliveryId)).toMatchObject({
      status: 'failed',
      error: { category: 'invalid_request' },
    });
    expect(h.channels.sms.calls).toBe(1);
    h.clock.advance(3_600_000);
    await h.threadline.runDue();
    expect(h.channels.sms.calls).toBe(1);
  });

  it('gives up after the configured number of attempts', async () => {
    const h = await start({ outbox: { maxAttempts: 3, pollIntervalMs: 3_600_000 } });
    h.channels.sms.failNextWith('provider', { times: 5 });

    const result = await h.threadline.channels.send({
      channel: 'sms',
      to: { phoneNumber: ANN },
      text: 'flaky',
    });
    for (let i = 0; i < 5; i += 1) {
      h.clock.advance(600_000);
      await h.threadline.runDue();
    }

    expect(h.channels.sms.calls).toBe(3);
    expect(await h.threadline.deliveries.get(result.deliveryId)).toMatchObject({
      status: 'failed',
      attempts: 3,
    });
  });

  it('finishes a delivery claimed by a runtime that died mid-send', async () => {
    const clock = createFakeClock();
    const store = createMemoryStore({ clock });
    const deadChannels = createChannels(clock);
    const hang = new Promise<void>(() => {});
    const dying = createTestAdapter({
      id: 'sms',
      channel: 'sms',
      clock,
      capabilities: deadChannels.sms.capabilities,
      onSend: () => hang,
    });
    const dead = await start({
      clock,
      store,
      channels: { ...deadChannels, sms: dying },
      instanceId: 'dead',
    });
    void dead.threadline.channels.send({
      channel: 'sms',
      to: { phoneNumber: ANN },
      text: 'survives',
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(dying.calls).toBe(1);

    const survivor = await start({ clock, store, instanceId: 'survivor' });
    await survivor.threadline.runDue();
    expect(survivor.channels.sms.calls).toBe(0);

    clock.advance(30_001);
    await survivor.threadline.runDue();
    expect(survivor.channels.sms.sent.map((sent) => sent.envelope.text)).toEqual(['survives']);
    const [delivery] = await survivor.threadline.deliveries.list();
    expect(delivery).toMatchObject({ status: 'accepted', attempts: 2 });
  });

  it('dispatches each delivery once when two runtimes share a store', async () => {
    const clock = createFakeClock();
    const store = createMemoryStore({ clock });
    const a = await start({ clock, store, instanceId: 'a' });
    const b = await start({ clock, store, instanceId: 'b' });
    const sendAt = new Date(clock.now() + 60_000);
    for (let i = 0; i < 40; i += 1) {
      await a.threadline.channels.send({
        channel: 'sms',
        to: { phoneNumber: `+4477009001${String(i).padStart(2, '0')}` },
        text: `n${i}`,
        options: { sendAt },
      });
    }
    clock.advance(60_000);
    await Promise.all([
      a.threadline.runDue(),
      b.threadline.runDue(),
      a.threadline.runDue(),
      b.threadline.runDue(),
    ]);

    const texts = [...a.channels.sms.sent, ...b.channels.sms.sent].map(
      (sent) => sent.envelope.text,
    );
    expect(texts).toHaveLength(40);
    expect(new Set(texts).size).toBe(40);
  });
});
