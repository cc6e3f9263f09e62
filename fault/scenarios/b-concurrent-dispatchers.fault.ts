import { waitFor } from '@threadline/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { byRecipient, startFakeGraph } from '../src/fake-graph';
import { report } from '../src/figures';
import { createWriterRuntime, openStore } from '../src/host';
import { type Instance, startInstance } from '../src/instances';
import { freshStore, STORE_KINDS } from '../src/stores';

/**
 * b. Concurrent dispatchers: three runtime processes poll one outbox while 1,000 deliveries fall
 * due at the same moment. Guarantee: a delivery is never handed out twice, so the provider
 * receives each message exactly once.
 */

const DELIVERIES = 1_000;
const DISPATCHERS = 3;
/** Sends scheduled at once: enough to be quick, few enough not to starve the dispatchers' pools. */
const SCHEDULING_CONCURRENCY = 25;
/**
 * Deliveries are scheduled this far ahead, so the writer never sends one; the dispatchers' clocks
 * run twice as far ahead, so to them all are due at once.
 */
const DUE_AFTER_MS = 3_600_000;

const numbers = Array.from(
  { length: DELIVERIES },
  (_, i) => `+4477009${String(i).padStart(5, '0')}`,
);

describe.each(STORE_KINDS)('b. concurrent dispatchers on %s', (kind) => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it(`${DISPATCHERS} processes send each of ${DELIVERIES} due deliveries exactly once`, async () => {
    const started = Date.now();
    const graph = await startFakeGraph({ key: byRecipient });
    cleanups.push(() => graph.close());
    const store = await freshStore(kind, 'dispatchers');
    cleanups.push(() => store.drop());
    const writerStore = openStore(store.config);
    cleanups.push(() => writerStore.close());
    const writer = createWriterRuntime(writerStore, graph.url);

    const instances: Instance[] = Array.from({ length: DISPATCHERS }, (_, i) =>
      startInstance({
        instanceId: `dispatcher-${i}`,
        store: store.config,
        graphUrl: graph.url,
        perSecond: 1_000,
        outbox: { leaseMs: 30_000, pollIntervalMs: 100, batchSize: 50 },
        startOnCommand: true,
        clockAheadMs: 2 * DUE_AFTER_MS,
      }),
    );
    cleanups.push(() => Promise.all(instances.map((instance) => instance.stop())));

    const dueAt = new Date(Date.now() + DUE_AFTER_MS);
    const deliveryIds = new Set<string>();
    for (let i = 0; i < DELIVERIES; i += SCHEDULING_CONCURRENCY) {
      const results = await Promise.all(
        numbers.slice(i, i + SCHEDULING_CONCURRENCY).map((phoneNumber) =>
          writer.channels.whatsapp.sendTemplate({
            to: { phoneNumber },
            template: { name: 'fault_scheduled', languageCode: 'en_US' },
            options: { sendAt: dueAt },
          }),
        ),
      );
      for (const result of results) deliveryIds.add(result.deliveryId);
    }
    const scheduledMs = Date.now() - started;
    // Every delivery exists, and is due, before any dispatcher polls: they race for all of them.
    expect(deliveryIds.size).toBe(DELIVERIES);
    await Promise.all(instances.map((instance) => instance.waitForLine('waiting')));
    for (const instance of instances) instance.command('start');
    await Promise.all(instances.map((instance) => instance.ready()));
    const dispatchStarted = Date.now();

    await waitFor(
      () => graph.received.size >= DELIVERIES,
      'every delivery to reach the provider',
      60_000,
    ).catch(() => undefined);
    const dispatchMs = Date.now() - dispatchStarted;
    // Give a late second copy the chance to arrive before counting.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const crashes = instances.filter((instance) => instance.crashed()).length;
    const lost = numbers.filter((n) => !graph.received.has(n.slice(1))).length;
    report({
      scenario: 'b concurrent dispatchers',
      store: kind,
      sent: DELIVERIES,
      recorded: graph.received.size,
      lost,
      duplicates: graph.duplicates(),
      crashes,
      durationMs: Date.now() - started,
      note: `${DISPATCHERS} processes; scheduled in ${scheduledMs} ms, sent in ${dispatchMs} ms`,
    });
    expect({ lost, duplicates: graph.duplicates(), crashes }).toEqual({
      lost: 0,
      duplicates: 0,
      crashes: 0,
    });
  });
});
