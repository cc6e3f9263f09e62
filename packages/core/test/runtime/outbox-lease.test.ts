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

function startRuntime(store: ThreadStore, instanceId: string, pollIntervalMs: number) {
  const adapter = createTestAdapter({
    id: 'sms',
    channel: 'sms',
    capabilities: deriveTestCapabilities({ rate: { perSecond: PER_SECOND } }),
  });
  const threadline = createThreadline({
    store,
    adapters: [adapter],
    instanceId,
    outbox: { leaseMs: LEASE_MS, pollIntervalMs, sendTimeoutMs: LEASE_MS },
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
});
