import { afterAll, describe, expect, it } from 'vitest';
import { startFakeGraph } from '../src/fake-graph';
import { report } from '../src/figures';
import { openStore } from '../src/host';
import { planInbound, sendInbound } from '../src/inbound-load';
import { startInstance } from '../src/instances';
import { ADAPTER_ID } from '../src/meta-webhooks';
import { extraCopies, recordedInbound } from '../src/recorded';
import { startRestartable } from '../src/restartable';
import { phoneNumbers } from '../src/schedule';
import { STORE_KINDS } from '../src/stores';

/**
 * d. Database restart during inbound: users write while the fault suite's own PostgreSQL (or
 * Redis) is stopped as a crash stops it (PostgreSQL's immediate shutdown, SIGKILL of Redis) for
 * about 3 s and started again. Guarantee
 * (DESIGN §3, "one commit per fact"): a webhook that failed is answered non-2xx, Meta retries it,
 * and every message ends up recorded exactly once; none is answered 200 and dropped.
 */

const USERS = 20;
const PER_USER = 10;
/**
 * Each user waits this long between messages, so the traffic lasts ≈ 5 s whatever the machine's
 * speed and the outage falls inside it (unpaced, a quiet machine sent all 200 before it began).
 */
const GAP_MS = 500;
/** The outage starts this long after the first webhook… */
const OUTAGE_AFTER_MS = 1_000;
/** …and lasts this long. */
const OUTAGE_MS = 3_000;

describe.each(STORE_KINDS)('d. database restart during inbound on %s', (kind) => {
  const cleanups: Array<() => Promise<unknown> | unknown> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('records every message exactly once after the provider’s retries', async () => {
    const started = Date.now();
    // Its own server: the shared one on 5432 is never restarted under other tests.
    const database = await startRestartable(kind);
    cleanups.push(() => database.destroy());
    const graph = await startFakeGraph();
    cleanups.push(() => graph.close());
    const runtime = startInstance({
      instanceId: `restart-${kind}`,
      store: database.config,
      graphUrl: graph.url,
      perSecond: 80,
      outbox: { leaseMs: 5_000, pollIntervalMs: 200 },
      serve: true,
    });
    cleanups.push(() => runtime.stop());
    await runtime.ready();

    const users = phoneNumbers(USERS, 4);
    const messages = planInbound(users, PER_USER, 'd');
    const webhookUrl = `http://127.0.0.1:${runtime.port}/webhooks/${ADAPTER_ID}`;
    let outage = { stoppedAt: 0, startedAt: 0 };
    const restart = (async () => {
      await new Promise((resolve) => setTimeout(resolve, OUTAGE_AFTER_MS));
      const stoppedAt = Date.now();
      await database.stop();
      await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
      await database.start();
      outage = { stoppedAt, startedAt: Date.now() };
    })();
    const inbound = await sendInbound(webhookUrl, messages, () => !runtime.crashed(), GAP_MS);
    await restart;
    // The outage really fell inside the run: some webhooks were refused and retried.
    expect(inbound.attempts).toBeGreaterThan(messages.length);
    expect(inbound.lastAcceptedAt).toBeGreaterThan(outage.startedAt);

    const reader = openStore(database.config);
    cleanups.push(() => reader.close());
    const recorded = await recordedInbound(reader, users);
    const lost = messages.filter((m) => !recorded.has(m.id)).length;
    const duplicates = extraCopies(recorded);
    const crashes = runtime.crashed() ? 1 : 0;
    report({
      scenario: 'd database restart',
      store: kind,
      sent: messages.length,
      recorded: recorded.size,
      lost,
      duplicates,
      crashes,
      durationMs: Date.now() - started,
      note: `${database.stopsBy}; outage ${outage.startedAt - outage.stoppedAt} ms; ${inbound.attempts} webhook POSTs, ${inbound.refused} never accepted${runtime.crashed() ? `; crashed: ${runtime.crashReason()}` : ''}`,
    });
    expect({ refused: inbound.refused, lost, duplicates, crashes }).toEqual({
      refused: 0,
      lost: 0,
      duplicates: 0,
      crashes: 0,
    });
  });
});
