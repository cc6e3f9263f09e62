import { waitFor } from '@threadline/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { byText, startFakeGraph } from '../src/fake-graph';
import { report } from '../src/figures';
import { openStore } from '../src/host';
import { planInbound, sendInbound } from '../src/inbound-load';
import { startInstance } from '../src/instances';
import { ADAPTER_ID } from '../src/meta-webhooks';
import { startKillingProxy } from '../src/proxy';
import { extraCopies, recordedInbound, recordedOutbound } from '../src/recorded';
import { phoneNumbers } from '../src/schedule';
import { freshStore, STORE_KINDS } from '../src/stores';

/**
 * c. Connections killed during inbound and outbound: every connection between the runtime and its
 * store is cut every 0.5 s (a TCP proxy in between) while users write and the agent replies.
 * Guarantee: the process never crashes (no exit, no unhandled rejection), every message Meta
 * delivers (retrying on non-2xx, as Meta does) is recorded exactly once, and every recorded
 * message gets its reply, once.
 */

/** `onError` lines counted by phase and store operation, e.g. `agent leases.acquire ×3`. */
function errorsByOperation(lines: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const line of lines) {
    if (!line.startsWith('error ')) continue;
    const [, phase] = line.split(' ');
    const operation = /store: ([\w.]+)/.exec(line)?.[1] ?? line.slice(0, 60);
    const key = `${phase} ${operation}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const total = [...counts.values()].reduce((sum, n) => sum + n, 0);
  return `${total} (${[...counts].map(([key, n]) => `${key} ×${n}`).join(', ')})`;
}

const USERS = 20;
const PER_USER = 5;
const KILL_EVERY_MS = 500;

describe.each(STORE_KINDS)('c. store connections killed every 0.5 s on %s', (kind) => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('records every inbound message once and replies to each, without crashing', async () => {
    const started = Date.now();
    const users = phoneNumbers(USERS, 3);
    const messages = planInbound(users, PER_USER, `c-${kind}`);
    const graph = await startFakeGraph({ key: byText });
    cleanups.push(() => graph.close());
    const store = await freshStore(kind, 'connkill');
    cleanups.push(() => store.drop());
    const target = new URL(store.config.url);
    const proxy = await startKillingProxy({ host: target.hostname, port: Number(target.port) });
    cleanups.push(() => proxy.close());
    target.port = String(proxy.port);
    const runtime = startInstance({
      instanceId: `connkill-${kind}`,
      store: { ...store.config, url: target.toString() },
      graphUrl: graph.url,
      perSecond: 80,
      outbox: { leaseMs: 5_000, pollIntervalMs: 200 },
      reply: true,
      serve: true,
    });
    cleanups.push(() => runtime.stop());
    await runtime.ready();

    proxy.killEvery(KILL_EVERY_MS);
    const webhookUrl = `http://127.0.0.1:${runtime.port}/webhooks/${ADAPTER_ID}`;
    const inbound = await sendInbound(webhookUrl, messages, () => !runtime.crashed());
    const expectedReplies = messages.map((m) => `${m.from}:re: ${m.text}`);
    await waitFor(
      () => expectedReplies.every((reply) => graph.received.has(reply)) || runtime.crashed(),
      'every reply to reach the provider',
      30_000,
    ).catch(() => undefined);
    proxy.stopKilling();
    // Late retries of the outbox land within a lease.
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    const reader = openStore(store.config);
    cleanups.push(() => reader.close());
    const recorded = await recordedInbound(reader, users);
    const lostInbound = messages.filter((m) => !recorded.has(m.id)).length;
    // A reply is owed for every recorded message (one never recorded is already counted lost).
    const lostReplies = messages.filter(
      (m) => recorded.has(m.id) && !graph.received.has(`${m.from}:re: ${m.text}`),
    ).length;
    const duplicates = extraCopies(recorded) + graph.duplicates();
    const crashes = runtime.crashed() ? 1 : 0;
    // Where an unanswered message stopped: its reply is in the thread (the outbox did not send it)
    // or not (the turn never replied).
    const outbound = await recordedOutbound(reader, users);
    const lostTexts = messages
      .filter((m) => recorded.has(m.id) && !graph.received.has(`${m.from}:re: ${m.text}`))
      .map((m) => `${m.text} (${outbound.has(`re: ${m.text}`) ? 'reply in thread' : 'no reply'})`);
    report({
      scenario: 'c connections killed 0.5 s',
      store: kind,
      sent: messages.length,
      recorded: recorded.size,
      lost: lostInbound + lostReplies,
      duplicates,
      crashes,
      durationMs: Date.now() - started,
      note: `${proxy.killed} connections cut; ${inbound.attempts} webhook POSTs; replies lost ${lostReplies}; errors reported ${errorsByOperation(runtime.lines)}${lostTexts.length > 0 ? `; unanswered: ${lostTexts.join(', ')}` : ''}${runtime.crashed() ? `; crashed: ${runtime.crashReason()}` : ''}`,
    });
    expect({ refused: inbound.refused, lostInbound, lostReplies, duplicates, crashes }).toEqual({
      refused: 0,
      lostInbound: 0,
      lostReplies: 0,
      duplicates: 0,
      crashes: 0,
    });
  });
});
