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
 * e. Lease expiry under pacing: two runtimes dispatch 60 due messages at 10 msg/s with a 2 s
 * lease, so most deliveries wait longer than the lease for their rate slot. Guarantee (DESIGN §3,
 * "a lease covers the whole attempt"): a delivery is never sent by two attempts at once, so no
 * message reaches the provider twice, however long it waited.
 */

const MESSAGES = 60;
const PER_SECOND = 10;
const LEASE_MS = 2_000;
const RUNTIMES = 2;

describe.each(STORE_KINDS)('e. lease expiry under pacing on %s', (kind) => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it(`${RUNTIMES} runtimes at ${PER_SECOND}/s with a ${LEASE_MS} ms lease send ${MESSAGES} messages once each`, async () => {
    const started = Date.now();
    const numbers = phoneNumbers(MESSAGES, 1);
    const graph = await startFakeGraph({ key: byRecipient });
    cleanups.push(() => graph.close());
    const store = await freshStore(kind, 'pacing');
    cleanups.push(() => store.drop());
    const writerStore = openStore(store.config);
    cleanups.push(() => writerStore.close());
    const writer = createWriterRuntime(writerStore, graph.url);

    const instances: Instance[] = Array.from({ length: RUNTIMES }, (_, i) =>
      startInstance({
        instanceId: `paced-${i}`,
        store: store.config,
        graphUrl: graph.url,
        perSecond: PER_SECOND,
        outbox: { leaseMs: LEASE_MS, pollIntervalMs: 200 },
        startOnCommand: true,
        clockAheadMs: DISPATCHER_CLOCK_AHEAD_MS,
      }),
    );
    cleanups.push(() => Promise.all(instances.map((instance) => instance.stop())));
    expect((await scheduleTemplates(writer, numbers)).size).toBe(MESSAGES);
    await Promise.all(instances.map((instance) => instance.waitForLine('waiting')));
    for (const instance of instances) instance.command('start');
    await Promise.all(instances.map((instance) => instance.ready()));

    await waitFor(
      () => graph.received.size >= MESSAGES,
      'every message to reach the provider',
      40_000,
    ).catch(() => undefined);
    // Past every lease that could still expire: a second attempt would have been sent by now.
    await new Promise((resolve) => setTimeout(resolve, 2 * LEASE_MS));
    const crashes = instances.filter((instance) => instance.crashed()).length;
    const lost = missing(numbers, graph.received);
    report({
      scenario: 'e lease expiry under pacing',
      store: kind,
      sent: MESSAGES,
      recorded: graph.received.size,
      lost,
      duplicates: graph.duplicates(),
      crashes,
      durationMs: Date.now() - started,
      note: `${PER_SECOND}/s, lease ${LEASE_MS} ms, ${RUNTIMES} runtimes`,
    });
    expect({ lost, duplicates: graph.duplicates(), crashes }).toEqual({
      lost: 0,
      duplicates: 0,
      crashes: 0,
    });
  });
});
