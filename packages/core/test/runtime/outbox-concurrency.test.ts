import { createMemoryStore } from '@threadline/store-memory';
import { createFakeClock, createTestAdapter } from '@threadline/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createChannels, createHarness, type Harness } from './harness';

const HANGS = '+447700900111';
const ANSWERS = '+447700900222';
/** Far longer than the test waits for the other delivery: only a concurrent poller meets it. */
const SEND_TIMEOUT_MS = 2_000;

/** Resolves once `check` holds, polling in real time; rejects after `ms`. */
async function eventually(check: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('the outbox poller', () => {
  const harnesses: Harness[] = [];
  afterEach(async () => {
    await Promise.all(harnesses.splice(0).map((harness) => harness.threadline.stop()));
  });

  it('sends other due deliveries while one provider call hangs', async () => {
    const clock = createFakeClock();
    const channels = createChannels(clock);
    let release: () => void = () => {};
    const hanging = new Promise<void>((resolve) => {
      release = resolve;
    });
    const sms = createTestAdapter({
      id: 'sms',
      channel: 'sms',
      clock,
      capabilities: channels.sms.capabilities,
      onSend: (envelope) => (envelope.to.address === HANGS ? hanging : undefined),
    });
    const h = await createHarness({
      clock,
      store: createMemoryStore({ clock }),
      channels: { ...channels, sms },
      outbox: { pollIntervalMs: 5, sendTimeoutMs: SEND_TIMEOUT_MS },
    });
    harnesses.push(h);
    const later = (ms: number) => ({ sendAt: new Date(clock.now() + ms) });
    await h.threadline.channels.send({
      channel: 'sms',
      to: { phoneNumber: HANGS },
      text: 'stuck',
      options: later(1_000),
    });
    await h.threadline.channels.send({
      channel: 'sms',
      to: { phoneNumber: ANSWERS },
      text: 'not held up',
      options: later(2_000),
    });

    clock.advance(1_000);
    await eventually(() => sms.calls === 1, 1_000);
    clock.advance(1_000);
    const started = Date.now();
    await eventually(() => sms.sent.length === 1, SEND_TIMEOUT_MS / 2);

    expect(sms.sent.map((sent) => sent.envelope.text)).toEqual(['not held up']);
    expect(Date.now() - started).toBeLessThan(SEND_TIMEOUT_MS / 2);
    release();
  });

  it('rejects an outbox.concurrency that is not a positive integer', async () => {
    await expect(createHarness({ outbox: { concurrency: 0 } })).rejects.toThrow(
      /outbox\.concurrency/,
    );
  });
});
