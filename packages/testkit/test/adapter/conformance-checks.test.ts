import { describe, expect, it } from 'vitest';
import { expectCaseRendered } from '../../src/adapter/conformance/checks';
import { componentCase } from '../../src/adapter/conformance/component-cases';
import { takeApart, tamperedBody } from '../../src/adapter/conformance/forgeries';
import {
  deriveTestCapabilities,
  type RenderedMessage,
  testCapabilityVariants,
} from '../../src/index';

// These prove the suite fails adapters that break the rules, not only that a good adapter passes.
const capabilities = testCapabilityVariants.restrictive; // actions native ≤ 3, labels ≤ 20, 160 chars
const actions = capabilities.components.actions;

const lead = (kind: string, variant: Parameters<typeof componentCase>[1]) =>
  componentCase(kind as 'actions', variant, capabilities.components[kind as 'actions']);

describe('conformance checks', () => {
  it('fail a native component with more items than its max', () => {
    const overMax = componentCase('actions', 'over-max', actions);
    const sent: RenderedMessage[] = [
      { type: 'text', text: overMax.lead },
      { type: 'component', kind: 'actions', items: 4, labels: ['a', 'b', 'c', 'd'] },
    ];
    expect(() => expectCaseRendered(overMax, sent, capabilities)).toThrow(/items over max/);
  });

  it('fail a native component with a label over maxLabelLength', () => {
    const longLabel = componentCase('actions', 'long-label', actions);
    const sent: RenderedMessage[] = [
      { type: 'text', text: longLabel.lead },
      { type: 'component', kind: 'actions', items: 3, labels: longLabel.labels },
    ];
    expect(() => expectCaseRendered(longLabel, sent, capabilities)).toThrow(/over maxLabelLength/);
  });

  it('fail text over text.maxLength, but allow a lone long URL', () => {
    const links = lead('links', 'within');
    const tooLong: RenderedMessage[] = [
      { type: 'text', text: `${links.lead} ${'x'.repeat(200)} ${links.markers.join(' ')}` },
    ];
    expect(() => expectCaseRendered(links, tooLong, capabilities)).toThrow(
      /exceeds text.maxLength/,
    );
    const loneUrl: RenderedMessage[] = [
      { type: 'text', text: links.lead },
      ...links.markers.map((marker): RenderedMessage => ({ type: 'text', text: marker })),
      { type: 'text', text: `https://example.com/${'x'.repeat(200)}` },
    ];
    expect(() => expectCaseRendered(links, loneUrl, capabilities)).not.toThrow();
  });

  it('fail text that loses an item of a block shown as text', () => {
    const links = lead('links', 'within');
    const sent: RenderedMessage[] = [
      { type: 'text', text: `${links.lead} ${links.markers.slice(1).join(' ')}` },
    ];
    expect(() => expectCaseRendered(links, sent, capabilities)).toThrow(/lost an item/);
  });

  it('fail a block that fits its native limits but was sent as text', () => {
    const within = componentCase('actions', 'within', actions);
    const sent: RenderedMessage[] = [
      { type: 'text', text: `${within.lead} ${within.markers.join(' ')}` },
    ];
    expect(() => expectCaseRendered(within, sent, capabilities)).toThrow(
      /must be rendered natively/,
    );
  });

  it('fail a dropped navigate block that shows up as text or as a component', () => {
    const navigate = lead('navigate', 'within');
    const asText: RenderedMessage[] = [
      { type: 'text', text: `${navigate.lead} /conformance-navigate?step=marker-1` },
    ];
    expect(() => expectCaseRendered(navigate, asText, capabilities)).toThrow(/must not be visible/);
    const asComponent: RenderedMessage[] = [
      { type: 'text', text: navigate.lead },
      { type: 'component', kind: 'navigate', items: 1 },
    ];
    expect(() => expectCaseRendered(navigate, asComponent, capabilities)).toThrow();
  });

  it('fail a native component of a kind the capabilities render as text', () => {
    const links = lead('links', 'within');
    const sent: RenderedMessage[] = [
      { type: 'text', text: links.lead },
      { type: 'component', kind: 'links', items: 3 },
    ];
    expect(() => expectCaseRendered(links, sent, capabilities)).toThrow(/a native links reached/);
  });

  it('accept a carousel that arrives as a native list when the carousel cannot be shown', () => {
    const caps = deriveTestCapabilities({
      components: { 'horizontal-list-item': { mode: 'fallback' }, 'list-item': { mode: 'native' } },
    });
    const carousel = componentCase(
      'horizontal-list-item',
      'within',
      caps.components['horizontal-list-item'],
    );
    const sent: RenderedMessage[] = [
      { type: 'text', text: carousel.lead },
      { type: 'component', kind: 'list-item', items: carousel.items },
    ];
    expect(() => expectCaseRendered(carousel, sent, caps)).not.toThrow();
  });
});

describe('componentCase', () => {
  it('sizes cases from the declared limits', () => {
    expect(componentCase('actions', 'within', actions).items).toBe(3);
    expect(componentCase('actions', 'over-max', actions).items).toBe(4);
    expect(componentCase('actions', 'long-label', actions).labels[0]).toHaveLength(21);
    expect(componentCase('list-item', 'over-max', { mode: 'native' }).items).toBe(11);
  });
});

describe('tamperedBody', () => {
  it('changes exactly one byte and keeps JSON parseable', async () => {
    const raw = JSON.stringify({
      events: [{ type: 'message', id: 'in-1', from: 'a', text: 'hello' }],
    });
    const parts = await takeApart(new Request('https://x.test/', { method: 'POST', body: raw }));
    const tampered = tamperedBody(parts);
    const changed = [...tampered].filter((byte, index) => byte !== parts.body[index]);
    expect(changed).toHaveLength(1);
    expect(() => JSON.parse(new TextDecoder().decode(tampered))).not.toThrow();
  });
});
