import { CapabilitiesSchema } from '@threadline/core';
import { describe, expect, it } from 'vitest';
import { describeAbort } from './abort-suite';
import type { AdapterFactory, AdapterFixtures } from './fixtures';
import { type SuiteHarness, useHarness } from './harness';
import { describeInbound } from './inbound-suite';
import { describeOutbound } from './outbound-suite';
import { describeSendRules } from './send-rules-suite';
import { describeSplitFailure } from './split-failure-suite';

/** Each optional action and the capability feature that claims it. */
const ACTIONS = [
  ['markRead', 'markRead'],
  ['sendTyping', 'typing'],
  ['react', 'reactions'],
] as const;

function describeShape(fixtures: AdapterFixtures, harness: SuiteHarness): void {
  const inbound = [fixtures.inbound].flat();
  describe('shape', () => {
    it('declares capabilities that parse with CapabilitiesSchema', () => {
      const result = CapabilitiesSchema.safeParse(harness.adapter.capabilities);
      expect(result.error?.issues ?? []).toEqual([]);
      expect(result.success).toBe(true);
    });

    it('lists no template categories when templates are not supported', () => {
      const { templates } = harness.adapter.capabilities;
      if (!templates.supported) expect(templates.categories).toEqual([]);
      else expect(templates.categories.length).toBeGreaterThan(0);
    });

    it('has a non-empty id, channel and provider', () => {
      const { id, channel, provider } = harness.adapter;
      for (const [name, value] of Object.entries({ id, channel, provider })) {
        expect(typeof value, name).toBe('string');
        expect(value.trim(), name).not.toBe('');
      }
    });

    it('offers markRead, sendTyping and react wherever its capabilities claim them', () => {
      const { adapter } = harness;
      const missing = ACTIONS.filter(
        ([method, feature]) =>
          adapter.capabilities.features[feature] && typeof adapter[method] !== 'function',
      ).map(([method]) => method);
      expect(missing, 'claimed in capabilities.features but not implemented').toEqual([]);
    });

    it('implements the inbound paths its fixtures describe', () => {
      const { adapter } = harness;
      expect(inbound.length, 'fixtures.inbound is empty').toBeGreaterThan(0);
      for (const fixture of inbound) {
        const needed = fixture.kind === 'webhook' ? ['handleWebhook'] : ['start', 'stop'];
        for (const method of needed) {
          expect(typeof adapter[method as keyof typeof adapter], method).toBe('function');
        }
      }
    });
  });
}

/**
 * Registers the shared adapter test suite with vitest: call it at the top level of a test file
 * (or inside a `describe`). Every adapter in the repository runs it, and so can anyone's. It
 * checks:
 *
 * - shape: capabilities parse with `CapabilitiesSchema`; `id`, `channel` and `provider` are set;
 *   claimed actions exist; the inbound methods the fixtures need exist;
 * - inbound, per fixture: a signed webhook gives 2xx and the expected events, in order, naming
 *   the adapter, with valid timestamps and ids; an unsigned, malformed or tampered one gives 401 and nothing (tampering is not
 *   applicable when the signature covers the sender only); a connection adapter, once started and
 *   triggered, emits the expected events;
 * - outbound: plain text reaches the provider and returns its id; every `:::` kind, within and
 *   over its declared limits, arrives natively within them, as text within `text.maxLength`, or
 *   not at all when `drop`, never losing an item; long text splits without losing a word;
 *   `text.maxParts` is enforced; each provider failure becomes a `DeliveryError` of its category;
 * - outbound rules: an empty message is refused (`invalid_request`, nothing sent); a template is
 *   sent where `capabilities.templates.supported` (`outbound.template`) and refused elsewhere; the
 *   returned status is one a receipt can move on (`sent` when `capabilities.receipts` reports
 *   nothing later); a keyboard alone, or with non-ASCII labels, arrives whole with no empty text;
 *   a streamed reply shows where `features.streaming`; with `outbound.replyTo`, replies quote;
 *   every `DeliveryError` names the adapter's provider and says what happened;
 * - with `provider.failLaterPart`: a split message whose part 2 fails rejects retryably, and the
 *   retry sends the rest, no part twice.
 *
 * Before each test it calls `fixtures.reset()`, then `factory({ clock })` with a fresh fake clock;
 * after it, `stop()` if the suite started the adapter.
 *
 * @example
 * ```ts
 * import { runAdapterConformance } from '@threadline/testkit';
 *
 * runAdapterConformance(() => createWhatsAppCloudAdapter(options), {
 *   name: 'whatsapp-cloud',
 *   reset: () => graph.reset(),
 *   inbound: {
 *     kind: 'webhook',
 *     publicUrl: 'https://example.com/webhooks/wa',
 *     signatureHeader: 'x-hub-signature-256',
 *     valid: () => graph.signedWebhook(textMessagePayload),
 *     expected: [{ type: 'message', message: { text: 'hello' } }],
 *   },
 *   outbound: {
 *     recipient: { address: '+15550001234' },
 *     provider: {
 *       accept: () => graph.acceptMessages(),
 *       failures: [{ name: 'error 131047', arrange: () => graph.fail(131047), category: 'window_closed' }],
 *       sent: () => graph.sentMessages(),
 *     },
 *   },
 * });
 * ```
 */
export function runAdapterConformance(factory: AdapterFactory, fixtures: AdapterFixtures): void {
  describe(`adapter conformance${fixtures.name ? `: ${fixtures.name}` : ''}`, () => {
    const harness = useHarness(factory, fixtures);
    describeShape(fixtures, harness);
    for (const inbound of [fixtures.inbound].flat()) describeInbound(inbound, harness);
    describeOutbound(fixtures, harness);
    describeSendRules(fixtures, harness);
    describeSplitFailure(fixtures, harness);
    describeAbort(fixtures, harness);
  });
}
