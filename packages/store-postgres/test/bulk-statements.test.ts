import { deriveTestCapabilities, testCapabilityVariants } from '@threadline/testkit';
import { describe, expect, it } from 'vitest';
import { serverReachable } from './support/server';
import { countedRuntime } from './support/statements';

/**
 * Statements per bulk template send, counted at the driver (issue 17, B3): the numbers of one tick
 * read their consent in one statement and their identities in another, instead of one of each per
 * number, which with a bulk send's hundreds of workers held the pool's few connections and capped
 * the rate well under the sender's 1,000 msg/s. A change that brings back a read per number fails
 * here, not only in the benchmark.
 */

const NUMBERS = Array.from({ length: 40 }, (_, i) => `+4477009${String(i).padStart(5, '0')}`);
const KNOWN = NUMBERS[3] as string;
const OPTED_OUT = NUMBERS[7] as string;

describe.runIf(serverReachable)('statements per bulk send (PostgreSQL server)', () => {
  const { statements, start } = countedRuntime('bulk_statements');

  it(`${NUMBERS.length} numbers in one tick read consent and identities in one statement each`, async () => {
    const { adapter, threadline } = await start({
      adapter: {
        id: 'wa',
        channel: 'whatsapp',
        capabilities: deriveTestCapabilities(
          { rate: { perSecond: 100_000, perRecipient: undefined } },
          testCapabilityVariants.templateOnly,
        ),
      },
    });
    const { store } = threadline;
    await store.identities.resolve({ channel: 'whatsapp', address: KNOWN, kind: 'phone' });
    await store.identities.touch(
      { channel: 'whatsapp', address: KNOWN },
      // Served by this sender before: the send then has no `lastAdapterId` to touch.
      { adapterId: 'wa', reference: { conversation: 'c-1' } },
    );
    await store.consent.record({
      channel: 'whatsapp',
      address: OPTED_OUT,
      status: 'opted-out',
      at: new Date(),
    });
    statements.length = 0;

    const summary = await threadline.templates.whatsapp.send({
      from: 'wa',
      template: { name: 'spring_sale' },
      phoneNumbers: NUMBERS,
    });
    const sent = statements.splice(0);

    expect(summary.errors.map((error) => [error.phoneNumber, error.code])).toEqual([
      [OPTED_OUT, 'opted_out'],
    ]);
    expect(summary.results).toHaveLength(NUMBERS.length - 1);
    const to = adapter.sent.map((send) => send.envelope.to);
    expect(to.find((recipient) => recipient.address === KNOWN)?.reference).toEqual({
      conversation: 'c-1',
    });
    const of = (table: string) => sent.filter((text) => text.includes(table));
    const consentReads = of('threadline_consent');
    const identityReads = of('threadline_identities');
    expect(consentReads, consentReads.join('\n---\n')).toHaveLength(1);
    expect(consentReads[0]).toContain('unnest');
    expect(identityReads, identityReads.join('\n---\n')).toHaveLength(1);
    expect(identityReads[0]).toContain('unnest');
    // Everything else is the outbox's group-committed creates and completes: a bounded number
    // of statements, far from the two reads per number (80 here) before batching.
    const creates = of('entry jsonb');
    const completes = of('provider_message_ids text[]');
    expect(creates.length).toBeGreaterThan(0);
    expect(creates.length).toBeLessThan(NUMBERS.length / 4);
    expect(completes.length).toBeLessThanOrEqual(NUMBERS.length);
    expect(sent, sent.join('\n---\n')).toHaveLength(2 + creates.length + completes.length);
  });
});
