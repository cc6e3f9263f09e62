import { waitFor } from '@threadline/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { query } from '../src/databases';
import { byRecipient, startFakeGraph } from '../src/fake-graph';
import { report } from '../src/figures';
import { type Instance, startInstance } from '../src/instances';
import { missing, phoneNumbers } from '../src/schedule';
import { freshStore } from '../src/stores';

/**
 * a. Crash mid-bulk with takeover: a bulk template send to 2,000 numbers, the sending process
 * killed with SIGKILL half-way, a second instance taking over. The host resumes the bulk for the
 * numbers Threadline never took (no delivery exists for them: the host's own bookkeeping, as a
 * bulk has no campaign key yet); the second instance's outbox sends what the first had taken
 * but not finished, once its lease expires. Guarantee: nothing is lost; a message may be sent
 * twice only if its request was in flight at the kill (sent, but its answer not recorded), so
 * duplicates are at most the deliveries in flight at the kill, themselves at most the bulk's
 * concurrency.
 *
 * PostgreSQL only: the host's bookkeeping reads the deliveries table (the store contract has no
 * query for "every delivery to these numbers"). The Redis outbox's takeover is covered by b and e.
 */

const RECIPIENTS = 2_000;
/** Sends in flight at once: the bound on what a kill can leave sent but unrecorded. */
const BULK_CONCURRENCY = 20;
/** The kill comes once the provider has this many. */
const KILL_AFTER = 700;
const LEASE_MS = 3_000;
/** The provider's answer takes this long, so requests are in flight at the kill. */
const PROVIDER_LATENCY_MS = 20;

describe('a. crash mid-bulk with takeover on postgres', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it(`loses none of ${RECIPIENTS} recipients when the sender is killed mid-way`, async () => {
    const started = Date.now();
    const numbers = phoneNumbers(RECIPIENTS, 2);
    const graph = await startFakeGraph({ key: byRecipient, latencyMs: PROVIDER_LATENCY_MS });
    cleanups.push(() => graph.close());
    const store = await freshStore('postgres', 'bulk');
    cleanups.push(() => store.drop());
    if (store.config.kind !== 'postgres') throw new Error('expected PostgreSQL');
    const { url, schema } = store.config;
    const instance = (id: string): Instance =>
      startInstance({
        instanceId: id,
        store: store.config,
        graphUrl: graph.url,
        perSecond: 1_000,
        outbox: { leaseMs: LEASE_MS, pollIntervalMs: 200 },
      });

    const first = instance('bulk-first');
    cleanups.push(() => first.stop());
    await first.ready();
    first.command(
      `bulk ${JSON.stringify({ phoneNumbers: numbers, concurrency: BULK_CONCURRENCY })}`,
    );
    await waitFor(() => graph.total >= KILL_AFTER, `${KILL_AFTER} sends`, 60_000);
    const inFlightAtProvider = graph.inFlight;
    await first.kill9();
    const atKill = graph.total;
    // In flight at the kill: deliveries the first instance had leased for their attempt and never
    // recorded as sent. Only these can reach the provider twice.
    const [inFlight] = await query<{ n: number }>(
      url,
      `SELECT count(*)::int AS n FROM "${schema}".threadline_deliveries
       WHERE status = 'queued' AND lease_owner = 'bulk-first'`,
    );
    const inFlightAtKill = inFlight?.n ?? 0;

    const second = instance('bulk-second');
    cleanups.push(() => second.stop());
    await second.ready();
    // The host's bookkeeping: the numbers Threadline has a delivery for are Threadline's to finish.
    const taken = new Set(
      (
        await query<{ recipient: string }>(
          url,
          `SELECT recipient FROM "${schema}".threadline_deliveries`,
        )
      ).map((row) => row.recipient.replace(/^\+/, '')),
    );
    const rest = numbers.filter((number) => !taken.has(number.slice(1)));
    second.command(`bulk ${JSON.stringify({ phoneNumbers: rest, concurrency: BULK_CONCURRENCY })}`);
    await second
      .waitForLine(second.lines.find((l) => l.startsWith('bulk-done')) ?? '', 1)
      .catch(() => undefined);
    await waitFor(
      () =>
        second.lines.some((line) => line.startsWith('bulk-done')) &&
        graph.received.size >= RECIPIENTS,
      'the takeover to finish',
      90_000,
    ).catch(() => undefined);
    // Past the lease of anything the first instance held.
    await new Promise((resolve) => setTimeout(resolve, LEASE_MS));
    const lost = missing(numbers, graph.received);
    const crashes = [first, second].filter((process) => process.crashed()).length;
    report({
      scenario: 'a crash mid-bulk + takeover',
      store: 'postgres',
      sent: RECIPIENTS,
      recorded: graph.received.size,
      lost,
      duplicates: graph.duplicates(),
      crashes,
      durationMs: Date.now() - started,
      note: `killed after ${atKill} sends; ${inFlightAtKill} in flight (${inFlightAtProvider} at the provider); resumed ${rest.length}`,
    });
    expect({ lost, crashes }).toEqual({ lost: 0, crashes: 0 });
    expect(inFlightAtKill).toBeLessThanOrEqual(BULK_CONCURRENCY);
    expect(graph.duplicates()).toBeLessThanOrEqual(inFlightAtKill);
  });
});
