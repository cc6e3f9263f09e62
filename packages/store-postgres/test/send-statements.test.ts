import type { Threadline } from '@threadline/core';
import {
  deriveTestCapabilities,
  type TestAdapter,
  testCapabilityVariants,
} from '@threadline/testkit';
import { describe, expect, it } from 'vitest';
import { serverReachable } from './support/server';
import { countedRuntime } from './support/statements';

/**
 * Round trips per send, counted at the driver: every `query` a connection of the store's pool
 * sends (BEGIN and COMMIT included) while `channels.send` of a text to a returning WhatsApp-like
 * user runs. Issue 17 allows three: the policy read (identity and consent), the outbox create with
 * its thread entry, and the `complete` after the provider took the message. A change that adds a
 * statement to the send path fails here, not only in the benchmark.
 */

const ANN = '+447700900123';
const LIMIT = 3;

describe.runIf(serverReachable)('statements per send (PostgreSQL server)', () => {
  const { statements, start: startRuntime } = countedRuntime('send_statements');

  /** A WhatsApp-like adapter (window, templates) without a rate that would make a test wait. */
  const start = () =>
    startRuntime({
      adapter: {
        id: 'wa',
        channel: 'whatsapp',
        capabilities: deriveTestCapabilities(
          { rate: { perSecond: 100_000, perRecipient: undefined } },
          testCapabilityVariants.templateOnly,
        ),
      },
    });

  /** The user writes first (opening the window), so the sends below go to a returning user. */
  async function returningUser(running: Threadline, adapter: TestAdapter, from: string) {
    const request = adapter.signedRequest({
      events: [
        { type: 'message', id: `in-${Math.random().toString(36).slice(2)}`, from, text: 'hi' },
      ],
    });
    expect((await running.fetch(request)).status).toBe(200);
    await running.idle();
  }

  it(`a text to a returning user by phone number takes at most ${LIMIT}`, async () => {
    const { adapter, threadline: running } = await start();
    await returningUser(running, adapter, ANN);
    // The first send may warm what a process caches once; the second is the steady state.
    for (const text of ['first', 'second']) {
      statements.length = 0;
      const result = await running.channels.send({
        channel: 'whatsapp',
        to: { phoneNumber: ANN },
        text,
      });
      const sent = statements.splice(0);
      expect(result.delivered, JSON.stringify(result)).toBe(true);
      expect(sent.length, sent.join('\n---\n')).toBeLessThanOrEqual(LIMIT);
    }
    // Nothing was left behind for later: the thread shows both messages, each delivery complete.
    const deliveries = await running.deliveries.list({ limit: 10 });
    expect(deliveries.map((delivery) => delivery.status)).toEqual(['accepted', 'accepted']);
    expect(adapter.sent.map((sent) => sent.envelope.text)).toEqual(['first', 'second']);
    const threadId = deliveries[0]?.threadId as string;
    const entries = await running.store.threads.read(threadId);
    expect(entries.map((entry) => [entry.text, entry.deliveryId])).toEqual([
      ['hi', undefined],
      ['first', deliveries[1]?.id],
      ['second', deliveries[0]?.id],
    ]);
  });

  it('concurrent sends share their policy read, create and complete statements (group commit)', async () => {
    const { adapter, threadline: running } = await start();
    const phones = Array.from(
      { length: 20 },
      (_, index) => `+4477009002${String(index).padStart(2, '0')}`,
    );
    for (const phone of phones) await returningUser(running, adapter, phone);
    statements.length = 0;
    const results = await Promise.all(
      phones.map((phoneNumber, index) =>
        running.channels.send({ channel: 'whatsapp', to: { phoneNumber }, text: `note ${index}` }),
      ),
    );
    const sent = statements.splice(0);
    expect(results.every((result) => result.delivered && result.persisted)).toBe(true);
    // Sends issued in one tick share one policy read (outbound.recipientMany); the sends whose
    // reads came back together share one create statement, and the sends whose provider answers
    // came back together share one complete.
    const of = (marker: string) => sent.filter((text) => text.includes(marker));
    const reads = of('AS opted_out');
    const creates = of('entry jsonb');
    const completes = of('provider_message_ids text[]');
    expect(reads).toHaveLength(1);
    expect(reads[0]).toContain('unnest');
    expect(creates.length).toBeGreaterThan(0);
    expect(creates.length).toBeLessThan(phones.length);
    expect(completes.length).toBeGreaterThan(0);
    expect(completes.length).toBeLessThanOrEqual(phones.length);
    // Nothing else: no single creates or completes beside the batches, no lease checks.
    expect(sent).toHaveLength(reads.length + creates.length + completes.length);
  });
});
