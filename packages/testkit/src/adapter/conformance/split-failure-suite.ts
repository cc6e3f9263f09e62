import { DeliveryError, type OutboundEnvelope, parseMessage } from '@threadline/core';
import { describe, expect, it } from 'vitest';
import { expectIdsOfEachPart } from './checks';
import type { AdapterFixtures } from './fixtures';
import type { SuiteHarness } from './harness';
import { numberedWords, texts } from './words';

/**
 * Registers the test of a split message whose later part fails, for an adapter whose fixture
 * gives `provider.failLaterPart`: the send rejects with a retryable `DeliveryError` (never resolves
 * as if the whole text went out), and the core's retry of the same delivery completes the text
 * without sending a part twice, so the user reads every word once.
 */
export function describeSplitFailure(fixtures: AdapterFixtures, harness: SuiteHarness): void {
  const { recipient, provider } = fixtures.outbound;
  const { failLaterPart } = provider;
  if (failLaterPart === undefined) return;

  describe('outbound split failure', () => {
    it('rejects retryably when a later part fails, and the retry sends the rest, no part twice', async () => {
      const { maxLength } = harness.adapter.capabilities.text;
      // Twice the limit: two or three parts, so there is a part after the first to fail.
      const words = numberedWords(2 * maxLength);
      const text = words.join(' ');
      const envelope: OutboundEnvelope = {
        deliveryId: 'conformance-split-failure',
        to: recipient,
        text,
        parts: parseMessage(text),
      };
      await provider.accept();
      await failLaterPart();
      const error = await harness.adapter.send(envelope).then(
        (result) => {
          throw new Error(
            `send succeeded (${result.providerMessageId}) although part 2 of the message failed`,
          );
        },
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DeliveryError);
      expect((error as DeliveryError).retryable, 'a failed part 2 is worth retrying').toBe(true);
      const first = texts(await provider.sent());
      expect(first.length, 'part 1 went out before part 2 failed').toBeGreaterThan(0);
      expect(first.join(' '), 'part 2 failed, so the text cannot be complete').not.toBe(text);

      await provider.accept();
      const result = await harness.adapter.send(envelope);
      const all = texts(await provider.sent());
      expect(all.join(' ').split(/\s+/), 'every word once, in order').toEqual(words);
      expect(all.length).toBeGreaterThan(first.length);
      expectIdsOfEachPart(result, all.length);
    });
  });
}
