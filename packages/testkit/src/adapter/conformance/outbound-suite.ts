import {
  COMPONENT_KINDS,
  type ComponentKind,
  DeliveryError,
  type OutboundEnvelope,
  parseMessage,
} from '@threadline/core';
import { describe, expect, it } from 'vitest';
import { expectCaseRendered, expectIdsOfEachPart, expectTextWithinLimit } from './checks';
import {
  CASE_VARIANT_TITLES,
  type CaseVariant,
  caseVariants,
  componentCase,
} from './component-cases';
import type { AdapterFixtures, ProviderFailureFixture } from './fixtures';
import type { SuiteHarness } from './harness';
import { numberedWords, texts } from './words';

/** Registers the outbound tests: plain text, every component kind, long text, failures. */
export function describeOutbound(fixtures: AdapterFixtures, harness: SuiteHarness): void {
  const { recipient, provider } = fixtures.outbound;
  let deliveries = 0;
  const envelope = (text: string): OutboundEnvelope => ({
    deliveryId: `conformance-delivery-${++deliveries}`,
    to: recipient,
    text,
    parts: parseMessage(text),
  });

  describe('outbound', () => {
    it('sends plain text to the provider and returns its message id', async () => {
      await provider.accept();
      const text = 'Hello from the Threadline conformance suite.';
      const result = await harness.adapter.send(envelope(text));
      expect(typeof result.providerMessageId).toBe('string');
      expect(result.providerMessageId.trim()).not.toBe('');
      const sent = await provider.sent();
      expect(texts(sent).join(' ')).toContain(text);
      if (result.providerMessageIds !== undefined) {
        expect(result.providerMessageIds).toContain(result.providerMessageId);
      }
    });

    describe.each(COMPONENT_KINDS.map((kind) => [kind] as [ComponentKind]))('%s', (kind) => {
      it.each(caseVariants(kind).map((variant) => [CASE_VARIANT_TITLES[variant], variant]))(
        '%s: arrives natively within its limits, as text within text.maxLength, or not at all if dropped',
        async (_title, variant) => {
          const { capabilities } = harness.adapter;
          const testCase = componentCase(
            kind,
            variant as CaseVariant,
            capabilities.components[kind],
          );
          const message = envelope(testCase.text);
          expect(
            message.parts?.map((part) => part.type),
            'the suite built a malformed block',
          ).toContain(kind);
          await provider.accept();
          await harness.adapter.send(message);
          expectCaseRendered(testCase, await provider.sent(), capabilities);
        },
      );
    });

    it('splits long text into messages within text.maxLength, losing no word', async () => {
      const { maxLength, maxParts } = harness.adapter.capabilities.text;
      // 3× the limit needs 3 or 4 messages, depending on where the words fall; a channel that
      // allows fewer parts gets text that fits in them.
      const words = numberedWords(Math.min(3, Math.max(1, (maxParts ?? 4) - 1)) * maxLength);
      await provider.accept();
      const result = await harness.adapter.send(envelope(words.join(' ')));
      const sent = await provider.sent();
      expectTextWithinLimit(sent, harness.adapter.capabilities);
      expect(texts(sent).join(' ').split(/\s+/)).toEqual(words);
      // A fixture may report one provider message as several texts (an email's paragraphs), so
      // the ids are checked only where the adapter gives them; the split-failure test insists.
      if (result.providerMessageIds !== undefined) expectIdsOfEachPart(result, texts(sent).length);
    });

    it('refuses text needing more than text.maxParts messages (invalid_request, nothing sent), or sends it all when there is no such limit', async () => {
      const { maxLength, maxParts } = harness.adapter.capabilities.text;
      const words = numberedWords(((maxParts ?? 4) + 2) * maxLength);
      await provider.accept();
      if (maxParts === undefined) {
        await harness.adapter.send(envelope(words.join(' ')));
        expect(
          texts(await provider.sent())
            .join(' ')
            .split(/\s+/),
        ).toEqual(words);
        return;
      }
      const error = await harness.adapter.send(envelope(words.join(' '))).catch((e) => e);
      expect(error).toBeInstanceOf(DeliveryError);
      expect(error).toMatchObject({ category: 'invalid_request', retryable: false });
      expect(await provider.sent()).toEqual([]);
    });

    it('declares at least one provider failure to map', () => {
      expect(provider.failures.length).toBeGreaterThan(0);
    });

    for (const failure of provider.failures) describeFailure(failure);
  });

  function describeFailure(failure: ProviderFailureFixture): void {
    const retry =
      failure.retryable === undefined ? '' : failure.retryable ? ', retryable' : ', not retryable';
    it(`maps ${failure.name} to a DeliveryError of category ${failure.category}${retry}`, async () => {
      await failure.arrange();
      const error = await harness.adapter.send(envelope('This send must fail.')).then(
        (result) => {
          throw new Error(
            `send succeeded (${result.providerMessageId}) but ${failure.name} should fail it`,
          );
        },
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DeliveryError);
      const delivery = error as DeliveryError;
      expect(delivery.category).toBe(failure.category);
      expect(delivery.message.trim(), 'the DeliveryError says what happened').not.toBe('');
      // The core records the provider on the failed delivery; another name hides whose error it was.
      expect(delivery.provider, 'DeliveryError.provider is the adapter provider').toBe(
        harness.adapter.provider,
      );
      if (delivery.retryAfterMs !== undefined) {
        // The outbox waits this long: NaN or a negative wait is a bug that retries at once.
        expect(Number.isFinite(delivery.retryAfterMs), 'retryAfterMs is a number').toBe(true);
        expect(delivery.retryAfterMs).toBeGreaterThanOrEqual(0);
      }
      const optional = ['retryable', 'retryAfterMs', 'providerCode', 'httpStatus'] as const;
      for (const field of optional) {
        if (failure[field] !== undefined) expect(delivery[field], field).toBe(failure[field]);
      }
    });
  }
}
