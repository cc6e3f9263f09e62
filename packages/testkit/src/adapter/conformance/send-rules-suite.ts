import {
  type Capabilities,
  DeliveryError,
  type OutboundEnvelope,
  parseMessage,
  type SendResult,
} from '@threadline/core';
import { describe, expect, it } from 'vitest';
import { expectCaseRendered, visibleText } from './checks';
import { aloneCase, wideLabelCase } from './component-cases';
import type { AdapterFixtures } from './fixtures';
import type { SuiteHarness } from './harness';
import type { RenderedMessage } from './rendered';

/** The statuses a provider can acknowledge a send with (`SendResult.status`). */
const SEND_STATUSES: ReadonlySet<string> = new Set(['accepted', 'sent', 'delivered']);

/** Receipts that move a delivery on from `accepted`. */
const LATER_RECEIPTS: ReadonlySet<string> = new Set(['sent', 'delivered', 'read']);

/** Categories a send of something the channel cannot take may fail with. */
const REFUSED_TEMPLATE: ReadonlySet<string> = new Set(['template', 'invalid_request']);

/** A template no provider mock knows: only an adapter with templates would try to send it. */
const UNSUPPORTED_TEMPLATE = { name: 'conformance_template', languageCode: 'en_US' } as const;

/**
 * Checks a send's `status` against what the channel reports later. `accepted` (or no status, which
 * the core reads as `accepted`) is only right when a receipt can move the delivery on: an API that
 * answers once the message is out (Telegram, Bot Framework, SMTP) and reports no receipts must say
 * `sent`, or the delivery stays `accepted` for ever.
 */
export function expectStatusReceiptsCanMove(result: SendResult, capabilities: Capabilities): void {
  const { status } = result;
  if (status !== undefined) {
    expect(SEND_STATUSES.has(status), `SendResult.status ${JSON.stringify(status)}`).toBe(true);
  }
  if (status !== undefined && status !== 'accepted') return;
  const later = capabilities.receipts.filter((receipt) => LATER_RECEIPTS.has(receipt));
  expect(
    later,
    'send returned status "accepted" (or none) but capabilities.receipts reports nothing later, so ' +
      'the delivery would stay "accepted" for ever: an API that answers once the message is out returns "sent"',
  ).not.toEqual([]);
}

/**
 * Expects `send(envelope)` to be refused without reaching the provider: a non-retryable
 * `DeliveryError` whose category is one of `categories`.
 */
async function expectRefused(
  harness: SuiteHarness,
  fixtures: AdapterFixtures,
  envelope: OutboundEnvelope,
  categories: ReadonlySet<string>,
): Promise<void> {
  const { provider } = fixtures.outbound;
  await provider.accept();
  const error = await harness.adapter.send(envelope).then(
    (result) => {
      throw new Error(`send succeeded (${result.providerMessageId}) but must be refused`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  const { category, retryable } = error as DeliveryError;
  expect([...categories], `category ${category}`).toContain(category);
  expect(retryable, 'a refusal is not retryable: sending again cannot help').toBe(false);
  expect((error as DeliveryError).message.trim(), 'the refusal says why').not.toBe('');
  expect((error as DeliveryError).provider, 'DeliveryError.provider').toBe(
    harness.adapter.provider,
  );
  expect(await provider.sent(), 'a refused send reached the provider').toEqual([]);
}

/**
 * Registers the rules of `send` every adapter keeps whatever its channel: an empty message is
 * refused, templates are sent or refused as the capabilities say, the returned status can be moved
 * on by a receipt, and a keyboard with no text before it arrives whole with no empty text.
 */
export function describeSendRules(fixtures: AdapterFixtures, harness: SuiteHarness): void {
  const { recipient, provider, template, replyTo } = fixtures.outbound;
  let deliveries = 0;
  const envelope = (fields: Partial<OutboundEnvelope>): OutboundEnvelope => ({
    deliveryId: `conformance-rule-${++deliveries}`,
    to: recipient,
    ...fields,
  });

  describe('outbound rules', () => {
    if (replyTo !== undefined) {
      it('quotes envelope.replyTo on the first message where features.replyTo, and nothing else', async () => {
        const { features } = harness.adapter.capabilities;
        await provider.accept();
        const text = 'Not a reply.';
        await harness.adapter.send(envelope({ text, parts: parseMessage(text) }));
        const quoted = (messages: readonly RenderedMessage[]) =>
          messages.flatMap((m) => (m.type === 'text' ? [m.replyTo] : []));
        expect(quoted(await provider.sent()), 'a send without replyTo quoted something').toEqual([
          undefined,
        ]);
        const reply = 'A reply.';
        await harness.adapter.send(envelope({ text: reply, parts: parseMessage(reply), replyTo }));
        expect(quoted(await provider.sent()), 'what the reply quoted').toEqual([
          undefined,
          features.replyTo ? replyTo : undefined,
        ]);
      });
    }

    it.each([
      ['no text', ''],
      ['only whitespace', ' \n\t \n'],
    ])('refuses a message with %s (invalid_request, nothing sent)', async (_title, text) => {
      await expectRefused(
        harness,
        fixtures,
        envelope({ text, parts: parseMessage(text) }),
        new Set(['invalid_request']),
      );
    });

    // Labels are characters to the user and bytes to some providers (Telegram's 64-byte button
    // data): an adapter that cuts must cut whole characters, and the label shown stays whole.
    it('sends a keyboard with non-ASCII labels (2- and 4-byte UTF-8) whole, natively where it fits', async () => {
      const { capabilities } = harness.adapter;
      const testCase = wideLabelCase(capabilities.components.actions);
      await provider.accept();
      await harness.adapter.send(
        envelope({ text: testCase.text, parts: parseMessage(testCase.text) }),
      );
      const sent = await provider.sent();
      expectCaseRendered(testCase, sent, capabilities);
      for (const component of sent) {
        if (component.type !== 'component' || component.labels === undefined) continue;
        expect(component.labels, 'a native label lost or split a character').toEqual(
          testCase.labels,
        );
      }
    });

    it('refuses a message whose only block is dropped (navigate where it is "drop"), or sends it as its mode says', async () => {
      const { capabilities } = harness.adapter;
      const support = capabilities.components.navigate;
      const testCase = aloneCase('navigate', support);
      const message = envelope({ text: testCase.text, parts: parseMessage(testCase.text) });
      if (support.mode === 'drop') {
        await expectRefused(harness, fixtures, message, new Set(['invalid_request']));
        return;
      }
      await provider.accept();
      await harness.adapter.send(message);
      expectCaseRendered(testCase, await provider.sent(), capabilities);
    });

    it('sends a template where capabilities.templates.supported, and refuses one elsewhere (nothing sent)', async () => {
      const { supported } = harness.adapter.capabilities.templates;
      if (!supported) {
        await expectRefused(
          harness,
          fixtures,
          envelope({ template: UNSUPPORTED_TEMPLATE }),
          REFUSED_TEMPLATE,
        );
        return;
      }
      expect(
        template,
        'capabilities.templates.supported: give fixtures.outbound.template',
      ).toBeDefined();
      await provider.accept();
      const result = await harness.adapter.send(envelope({ template }));
      expect(result.providerMessageId.trim()).not.toBe('');
      expect((await provider.sent()).length, 'the template reached no provider').toBeGreaterThan(0);
    });

    it('shows a streamed reply where features.streaming, and gets the finished text elsewhere', async () => {
      const chunks = ['Streamed ', 'reply, ', 'in three chunks.'];
      const full = chunks.join('');
      await provider.accept();
      if (harness.adapter.capabilities.features.streaming) {
        // The core passes the stream alone: the finished text exists only once it has ended.
        const stream = (async function* () {
          yield* chunks;
        })();
        await harness.adapter.send(envelope({ stream }));
      } else {
        await harness.adapter.send(envelope({ text: full, parts: parseMessage(full) }));
      }
      expect(visibleText(await provider.sent())).toContain(full);
    });

    it('returns a status a receipt can move on (sent when capabilities.receipts reports nothing later)', async () => {
      await provider.accept();
      const text = 'Which status is this?';
      const result = await harness.adapter.send(envelope({ text, parts: parseMessage(text) }));
      expectStatusReceiptsCanMove(result, harness.adapter.capabilities);
    });

    // Telegram hangs a keyboard off a message, WhatsApp needs a body for buttons, Messenger's quick
    // replies need text: an adapter must invent the carrier text, never send an empty one.
    it('sends a keyboard with no text before it with no empty text message, losing no button', async () => {
      const { capabilities } = harness.adapter;
      const testCase = aloneCase('actions', capabilities.components.actions);
      await provider.accept();
      await harness.adapter.send(
        envelope({ text: testCase.text, parts: parseMessage(testCase.text) }),
      );
      const sent = await provider.sent();
      expect(sent.length, 'nothing reached the provider').toBeGreaterThan(0);
      expectCaseRendered(testCase, sent, capabilities);
    });
  });
}
