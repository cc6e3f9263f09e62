import { describe, expect, it } from 'vitest';
import { expectIdsOfEachPart, expectTextWithinLimit } from '../../src/adapter/conformance/checks';
import { aloneCase, wideLabelCase } from '../../src/adapter/conformance/component-cases';
import { expectStatusReceiptsCanMove } from '../../src/adapter/conformance/send-rules-suite';
import { deriveTestCapabilities, testCapabilityVariants } from '../../src/index';

// The new send rules must fail adapters that break them, not only pass the ones that keep them.
const noReceipts = deriveTestCapabilities({ receipts: [] });
const withReceipts = deriveTestCapabilities({ receipts: ['delivered'] });

describe('send rules', () => {
  it('fail "accepted" (or no status) from a channel whose receipts never move it on', () => {
    const hint = /would stay "accepted" for ever/;
    expect(() => expectStatusReceiptsCanMove({ providerMessageId: 'm1' }, noReceipts)).toThrow(
      hint,
    );
    expect(() =>
      expectStatusReceiptsCanMove({ providerMessageId: 'm1', status: 'accepted' }, noReceipts),
    ).toThrow(hint);
    expect(() =>
      expectStatusReceiptsCanMove({ providerMessageId: 'm1', status: 'sent' }, noReceipts),
    ).not.toThrow();
    expect(() =>
      expectStatusReceiptsCanMove({ providerMessageId: 'm1', status: 'accepted' }, withReceipts),
    ).not.toThrow();
  });

  it('fail a status that is not one a provider acknowledges with', () => {
    const result = { providerMessageId: 'm1', status: 'queued' as 'sent' };
    expect(() => expectStatusReceiptsCanMove(result, withReceipts)).toThrow(/SendResult.status/);
  });

  it('fail a split send that does not name every part, or names one twice', () => {
    expect(() => expectIdsOfEachPart({ providerMessageId: 'a' }, 3)).toThrow(/providerMessageIds/);
    expect(() =>
      expectIdsOfEachPart({ providerMessageId: 'a', providerMessageIds: ['a', 'b'] }, 3),
    ).toThrow();
    expect(() =>
      expectIdsOfEachPart({ providerMessageId: 'a', providerMessageIds: ['b', 'a', 'c'] }, 3),
    ).toThrow(/providerMessageIds\[0\]/);
    expect(() =>
      expectIdsOfEachPart({ providerMessageId: 'a', providerMessageIds: ['a', 'b', 'b'] }, 3),
    ).toThrow(/distinct/);
    expect(() =>
      expectIdsOfEachPart({ providerMessageId: 'a', providerMessageIds: ['a', 'b', 'c'] }, 3),
    ).not.toThrow();
    expect(() => expectIdsOfEachPart({ providerMessageId: 'a' }, 1)).not.toThrow();
  });

  it('fail an empty text message reaching the provider', () => {
    expect(() =>
      expectTextWithinLimit([{ type: 'text', text: ' \n' }], testCapabilityVariants.restrictive),
    ).toThrow(/empty text message/);
  });

  it('build a keyboard with no lead, and wide labels as long as maxLabelLength allows', () => {
    const support = { mode: 'native', max: 3, maxLabelLength: 40 } as const;
    const alone = aloneCase('actions', support);
    expect(alone.lead).toBe('');
    expect(alone.text.startsWith('::: actions\n')).toBe(true);
    expect(alone.items).toBe(3);

    const wide = wideLabelCase(support);
    const [first = ''] = wide.labels;
    expect(first.length).toBeLessThanOrEqual(40);
    expect(first.length).toBeGreaterThanOrEqual(39); // an emoji that would not fit is left out
    expect(Buffer.byteLength(first, 'utf8')).toBeGreaterThan(64);
    expect(first).toMatch(/é😀/u);
    expect(/[\uD800-\uDFFF]/u.test(first), 'no half emoji').toBe(false);
    expect(wide.text).toContain(`- ${first}\n`);
  });
});
