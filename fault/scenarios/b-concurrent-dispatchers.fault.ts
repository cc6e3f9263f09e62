import { waitFor } from '@threadline/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { byRecipient, startFakeGraph } from '../src/fake-graph';
import { report } from '../src/figures';
import { createWriterRuntime, openStore } from '../src/host';
import { type Instance, startInstance } from '../src/instances';
import {
  DISPATCHER_CLOCK_AHEAD_MS,
  missing,
  phoneNumbers,
  scheduleTemplates,
} from '../src/schedule';
import { freshStore, STORE_KINDS } from '../src/stores';

/**
 * b. Concurrent dispatchers: three runtime processes start polling one outbox at the same moment,
 * with 1,000 deliveries due. Guarantee: a delivery is never handed out twice, so the provider
 * receives each message exactly once.
 */

const DELIVERIES = 1_000;
const DISPATCHERS = 3;

describe.each(STORE_KINDS)('b. concurrent dispatchers on %s', (kind) => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it(`${DISPATCHERS} processes send each of ${DELIVERIES} due deliveries exactly once`, async () => {
    const started = Date.now();
    const numbers = phoneNumbers(DELIVERIES);
    const graph = await startFakeGraph({ key: byRecipient });
    cleanups.push(() => graph.close());
    const store = await freshStore(kind, 'dispatchers');
    cleanups.push(() => store.drop());
    const writerStore = openStore(store.config);
    cleanups.push(() => writerStore.close());
    const writer = createWriterRuntime(writerStore, graph.url);

    // They compile and connect while the deliveries are scheduled; none polls before `start`.
    const instances: Instance[] = Array.from({ length: DISPATCHERS }, (_, i) =>
      startInstance({
        instanceId: `dispatcher-${i}`,
        store: store.config,
        graphUrl: graph.url,
        perSecond: 1_000,
        outbox: { leaseMs: 30_000, pollIntervalMs: 100, batchSize: 50 },
        startOnCommand: true,
        clockAheadMs: DISPATCHER_CLOCK_AHEAD_MS,
      }),
    );
    cleanups.push(() => Promise.all(instances.map((instance) => instance.stop())));

    const deliveryIds = await scheduleTemplates(writer, numbers);
    const scheduledMs = Date.now() - started;
    // Every delivery exists before any dispatcher polls: they race for all of them.
    expect(deliveryIds.size).toBe(DELIVERIES);
    expect(graph.total).toBe(0);
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
    const lost = missing(numbers, graph.received);
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
