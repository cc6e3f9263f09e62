import { createMemoryStore } from '@threadline/store-memory';
import { createTestAdapter, deriveTestCapabilities } from '@threadline/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createThreadline, type Threadline, type ThreadStore } from '../../src/index';

/**
 * The production numbers of issue 21 (10 msg/s, a 5 s lease, 120 messages: the last waits 12 s
 * for its slot) scaled down 20 times in real time, so the pacer's waits outlast the lease as they
 * do in production and the test still takes about a second.
 */
const SCALE = 20;
const PER_SECOND = 10 * SCALE;
const LEASE_MS = 5_000 / SCALE;
const MESSAGES = 120;

function startRuntime(
  store: ThreadStore,
  instanceId: string,
  pollIntervalMs: number,
  provider: { sendMs?: number; sendTimeoutMs?: number } = {},
) {
  const { sendMs } = provider;
  const adapter = createTestAdapter({
    id: 'sms',
    channel: 'sms',
    capabilities: deriveTestCapabilities({ rate: { perSecond: PER_SECOND } }),
    ...(sendMs === undefined
      ? {}
      : { onSend: () => new Promise<void>((resolve) => setTimeout(resolve, sendMs)) }),
  });
  const threadline = createThreadline({
    store,
    adapters: [adapter],
    instanceId,
    outbox: {
      leaseMs: LEASE_MS,
      pollIntervalMs,
      sendTimeoutMs: provider.sendTimeoutMs ?? LEASE_MS,
    },
    jobs: { pollIntervalMs: 3_600_000 },
    onMessage: () => {},
  });
  return { adapter, threadline };
}

describe('the outbox lease', () => {
  const running: Threadline[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((threadline) => threadline.stop()));
  });

  it('sends every message exactly once when rate-limit waits outlast the lease and a second runtime polls', async () => {
    const store = createMemoryStore();
    const a = startRuntime(store, 'a', 3_600_000);
    // The second runtime polls often: it claims any delivery whose lease lapsed while `a` waited.
    const b = startRuntime(store, 'b', 10);
    running.push(a.threadline, b.threadline);
    await a.threadline.start();
    await b.threadline.start();

    await Promise.all(
      Array.from({ length: MESSAGES }, (_, i) =>
        a.threadline.channels.send({
          channel: 'sms',
          to: { phoneNumber: `+4477009${String(i).padStart(5, '0')}` },
          text: `n${i}`,
        }),
      ),
    );
    // Whatever `b` took over must finish too before counting.
    for (let i = 0; i < 200; i += 1) {
      const queued = await store.deliveries.list({ status: 'queued', limit: 200 });
      if (queued.length === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    const texts = [...a.adapter.sent, ...b.adapter.sent].map((sent) => sent.envelope.text);
    const counts = new Map<string, number>();
    for (const text of texts) counts.set(String(text), (counts.get(String(text)) ?? 0) + 1);
    expect([...counts.values()].filter((count) => count !== 1)).toEqual([]);
    expect(counts.size).toBe(MESSAGES);
    expect(a.adapter.calls + b.adapter.calls).toBe(MESSAGES);
  });

  it('keeps the lease while a provider call runs longer than the lease', async () => {
    const store = createMemoryStore();
    // Each call takes three leases; the send timeout allows it. Without renewal during the call,
    // `b` would claim every delivery mid-send and send it again.
    const slow = { sendMs: LEASE_MS * 3, sendTimeoutMs: LEASE_MS * 6 };
    const a = startRuntime(store, 'a', 3_600_000, slow);
    const b = startRuntime(store, 'b', 10, slow);
    running.push(a.threadline, b.threadline);
    await a.threadline.start();
    await b.threadline.start();

    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        a.threadline.channels.send({
          channel: 'sms',
          to: { phoneNumber: `+4477008${String(i).padStart(5, '0')}` },
          text: `slow ${i}`,
        }),
      ),
    );
    expect(results.map((result) => result.status)).toEqual(Array(5).fill('accepted'));
    expect(a.adapter.calls).toBe(5);
    expect(b.adapter.calls).toBe(0);
  });
});
