import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { type ComponentPart, type MessagePart, planRender } from '../../src/components/index';
import { ValidationError } from '../../src/errors/index';
import { capabilities, capabilitiesWith, messageParts } from './arbitraries';

const actions = (...labels: string[]): MessagePart => ({
  type: 'actions',
  actions: labels.map((label) => ({ label })),
});
const carousel = (...titles: string[]): MessagePart => ({
  type: 'horizontal-list-item',
  items: titles.map((title) => ({ title })),
});

describe('planRender', () => {
  test('keeps a component the channel renders natively within its limits', () => {
    const part = actions('Yes', 'No');
    const caps = capabilitiesWith({ actions: { mode: 'native', max: 3, maxLabelLength: 20 } });
    expect(planRender([part], caps)).toEqual([{ type: 'component', part }]);
  });

  test('falls back to text when a component has more items than max', () => {
    const caps = capabilitiesWith({ actions: { mode: 'native', max: 3 } });
    expect(planRender([actions('a', 'b', 'c', 'd')], caps)).toEqual([
      { type: 'text', text: '1. a\n2. b\n3. c\n4. d' },
    ]);
  });

  test('falls back to text when a label is longer than maxLabelLength', () => {
    const caps = capabilitiesWith({ actions: { mode: 'native', maxLabelLength: 5 } });
    expect(planRender([actions('Yes', 'Maybe later')], caps)).toEqual([
      { type: 'text', text: '1. Yes\n2. Maybe later' },
    ]);
  });

  test('checks card titles against maxLabelLength', () => {
    const caps = capabilitiesWith({ 'list-item': { mode: 'native', maxLabelLength: 3 } });
    const part: MessagePart = { type: 'list-item', items: [{ title: 'Longer' }] };
    expect(planRender([part], caps)).toEqual([{ type: 'text', text: 'Longer' }]);
  });

  test('renders a component as text when its mode is fallback', () => {
    const caps = capabilitiesWith({ payment: { mode: 'fallback' } });
    expect(planRender([{ type: 'payment', text: 'Pay', url: 'https://p' }], caps)).toEqual([
      { type: 'text', text: 'Pay: https://p' },
    ]);
  });

  test('drops a component whose mode is drop, joining the text around it', () => {
    const caps = capabilitiesWith({ navigate: { mode: 'drop' } });
    const parts: MessagePart[] = [
      { type: 'text', text: 'Opening the shop.' },
      { type: 'navigate', path: '/shop', query: {} },
      { type: 'text', text: 'Enjoy!' },
    ];
    expect(planRender(parts, caps)).toEqual([
      { type: 'text', text: 'Opening the shop.\n\nEnjoy!' },
    ]);
  });

  test('leaves no empty text for a navigate rendered as text', () => {
    const caps = capabilitiesWith({ navigate: { mode: 'fallback' } });
    expect(planRender([{ type: 'navigate', path: '/shop', query: {} }], caps)).toEqual([]);
  });

  test('merges fallback text with adjacent text, keeping components in order', () => {
    const caps = capabilitiesWith({ actions: { mode: 'fallback' } });
    const links: MessagePart = { type: 'links', links: [{ url: 'https://d' }] };
    expect(
      planRender(
        [{ type: 'text', text: 'Pick:' }, actions('A'), links, { type: 'text', text: 'Bye' }],
        caps,
      ),
    ).toEqual([
      { type: 'text', text: 'Pick:\n\n1. A' },
      { type: 'component', part: links },
      { type: 'text', text: 'Bye' },
    ]);
  });

  test('keeps a carousel of two or more cards when the channel renders it natively', () => {
    const part = carousel('A', 'B');
    expect(planRender([part], capabilitiesWith())).toEqual([{ type: 'component', part }]);
  });

  test('plans a one-card carousel as a list-item', () => {
    expect(planRender([carousel('A')], capabilitiesWith())).toEqual([
      { type: 'component', part: { type: 'list-item', items: [{ title: 'A' }] } },
    ]);
  });

  test('plans a carousel the channel cannot show as a list-item', () => {
    const caps = capabilitiesWith({ 'horizontal-list-item': { mode: 'fallback' } });
    expect(planRender([carousel('A', 'B')], caps)).toEqual([
      { type: 'component', part: { type: 'list-item', items: [{ title: 'A' }, { title: 'B' }] } },
    ]);
  });

  test('renders a carousel as text when neither carousels nor lists fit', () => {
    const caps = capabilitiesWith(
      { 'horizontal-list-item': { mode: 'native', max: 2 }, 'list-item': { mode: 'fallback' } },
      { format: 'whatsapp' },
    );
    expect(planRender([carousel('A', 'B', 'C')], caps)).toEqual([
      { type: 'text', text: '*A*\n\n*B*\n\n*C*' },
    ]);
  });

  test('emphasises fallback titles per text format, html as plain', () => {
    const part: MessagePart = { type: 'list-item', items: [{ title: 'Tea' }] };
    const render = (format: 'markdown' | 'html') =>
      planRender([part], capabilitiesWith({ 'list-item': { mode: 'fallback' } }, { format }));
    expect(render('markdown')).toEqual([{ type: 'text', text: '**Tea**' }]);
    expect(render('html')).toEqual([{ type: 'text', text: 'Tea' }]);
  });

  test('splits long text into several text segments at maxLength', () => {
    const caps = capabilitiesWith({}, { maxLength: 12 });
    expect(planRender([{ type: 'text', text: 'First part.\n\nSecond part.' }], caps)).toEqual([
      { type: 'text', text: 'First part.' },
      { type: 'text', text: 'Second part.' },
    ]);
  });

  test('refuses with a ValidationError on text when it needs more messages than maxParts', () => {
    const caps = capabilitiesWith({}, { maxLength: 10, maxParts: 2 });
    const parts: MessagePart[] = [{ type: 'text', text: 'one two three four five six' }];
    expect(() => planRender(parts, caps)).toThrow(ValidationError);
    try {
      planRender(parts, caps);
    } catch (error) {
      expect((error as ValidationError).issues).toEqual([
        { path: 'text', message: 'needs 3 text messages, but the channel allows at most 2' },
      ]);
    }
  });

  test('counts every text segment against maxParts, but no component', () => {
    const caps = capabilitiesWith({}, { maxParts: 1 });
    const parts: MessagePart[] = [
      { type: 'text', text: 'Pick:' },
      actions('A'),
      { type: 'text', text: 'or' },
    ];
    expect(() => planRender(parts, caps)).toThrow(ValidationError);
    expect(planRender(parts.slice(0, 2), caps)).toHaveLength(2);
  });
});

/** The items a native rendering must show, independently of the planner's own count. */
function itemsOf(part: ComponentPart): readonly unknown[] {
  if ('items' in part) return part.items;
  if (part.type === 'actions') return part.actions;
  if (part.type === 'links') return part.links;
  if (part.type === 'images') return part.images;
  if (part.type === 'documents') return part.documents;
  return [part];
}

/** Button and row labels: action labels, card titles, the payment text and the flow CTA. */
function labelsOf(part: ComponentPart): string[] {
  if ('items' in part) return part.items.map((card) => card.title);
  if (part.type === 'actions') return part.actions.map((action) => action.label);
  if (part.type === 'payment') return [part.text];
  if (part.type === 'flow') return [part.cta];
  return [];
}

describe('planRender properties', () => {
  test('never yields a component that breaks the capabilities, nor text over maxLength', () => {
    fc.assert(
      fc.property(messageParts, capabilities, (parts, caps) => {
        let segments: ReturnType<typeof planRender>;
        try {
          segments = planRender(parts, caps);
        } catch (error) {
          expect(error).toBeInstanceOf(ValidationError);
          expect(caps.text.maxParts).toBeDefined();
          return;
        }
        const texts = segments.filter((segment) => segment.type === 'text');
        if (caps.text.maxParts !== undefined) {
          expect(texts.length).toBeLessThanOrEqual(caps.text.maxParts);
        }
        for (const segment of segments) {
          if (segment.type === 'text') {
            expect(segment.text).not.toBe('');
            if (segment.text.length > caps.text.maxLength) {
              expect(segment.text).toMatch(/^https?:\/\/\S*$/i);
            }
            continue;
          }
          const { part } = segment;
          const support = caps.components[part.type];
          expect(support.mode).toBe('native');
          const items = itemsOf(part);
          if (support.max !== undefined) expect(items.length).toBeLessThanOrEqual(support.max);
          for (const label of labelsOf(part)) {
            expect(label.length).toBeLessThanOrEqual(support.maxLabelLength ?? Infinity);
          }
          if (part.type === 'horizontal-list-item') {
            expect(part.items.length).toBeGreaterThanOrEqual(2);
          }
        }
      }),
    );
  });
});
