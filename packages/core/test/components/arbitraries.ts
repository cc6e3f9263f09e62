import fc from 'fast-check';
import type { Capabilities } from '../../src/capabilities/schema';
import {
  type Card,
  COMPONENT_KINDS,
  type ComponentKind,
  type MessagePart,
} from '../../src/components/index';

/**
 * Arbitraries for well-formed parts: the ones `serializeParts` documents as round-tripping.
 * Strings come from both printable ASCII and full Unicode graphemes so CR, U+2028 and emoji are
 * exercised, then are filtered to the grammar's rules.
 */

const anyString = (maxLength: number) =>
  fc.oneof(fc.string({ maxLength }), fc.string({ unit: 'grapheme', maxLength }));

/** One line, trimmed, non-empty: a label, title or value. */
export const label = anyString(16).filter(
  (text) => text !== '' && text === text.trim() && !text.includes('\n'),
);

/** A label that also fits inside `[…]`. */
export const linkLabel = label.filter((text) => !text.includes(']'));

/** A url: non-empty, no whitespace (the grammar reads the url as `\S+`). */
export const url = fc.oneof(
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  anyString(16).filter((text) => /^\S+$/.test(text)),
);

const summaryLine = label.filter(
  (line) =>
    !line.startsWith('#') && !line.startsWith(':::') && !/^!\[[^\]\n]*\]\(\S+\)$/.test(line),
);

const card: fc.Arbitrary<Card> = fc.record(
  {
    title: label,
    subtitle: label,
    summary: fc.array(summaryLine, { minLength: 1, maxLength: 3 }).map((lines) => lines.join('\n')),
    imageUrl: url,
  },
  { requiredKeys: ['title'] },
);

const cards = fc.array(card, { minLength: 1, maxLength: 4 });

/** Text with no line that could open or close a block, trimmed and non-empty. */
export const textPart = fc
  .array(anyString(24), { minLength: 1, maxLength: 4 })
  .map((lines) => lines.join('\n').trim())
  .filter((text) => text !== '' && text.split('\n').every((l) => !l.trim().startsWith(':::')))
  .map((text): MessagePart => ({ type: 'text', text }));

const flowKey = fc
  .stringMatching(/^[A-Za-z_][\w.-]{0,8}$/)
  .filter((key) => !['flow_id', 'flow_cta', 'body', 'header', 'footer', 'screen'].includes(key));

const flowValue = anyString(16).filter((value) => value !== '' && !value.includes('\n'));

const navigatePath = anyString(16).filter((path) => /^[^\s?#]+$/.test(path));

const queryKey = anyString(8).filter((key) => key !== '__proto__');

/** Any well-formed component part. */
export const componentPart: fc.Arbitrary<MessagePart> = fc.oneof(
  cards.map((items): MessagePart => ({ type: 'list-item', items })),
  cards.map((items): MessagePart => ({ type: 'horizontal-list-item', items })),
  fc
    .array(label, { minLength: 1, maxLength: 5 })
    .map(
      (labels): MessagePart => ({ type: 'actions', actions: labels.map((l) => ({ label: l })) }),
    ),
  fc
    .array(fc.record({ url, title: linkLabel }, { requiredKeys: ['url'] }), {
      minLength: 1,
      maxLength: 4,
    })
    .map((links): MessagePart => ({ type: 'links', links })),
  fc
    .array(fc.record({ url, alt: linkLabel }, { requiredKeys: ['url'] }), {
      minLength: 1,
      maxLength: 4,
    })
    .map((images): MessagePart => ({ type: 'images', images })),
  fc
    .array(fc.record({ url, name: linkLabel }, { requiredKeys: ['url'] }), {
      minLength: 1,
      maxLength: 4,
    })
    .map((documents): MessagePart => ({ type: 'documents', documents })),
  fc.record({ text: linkLabel, url }).map((p): MessagePart => ({ type: 'payment', ...p })),
  fc
    .record(
      {
        flowId: flowValue,
        cta: flowValue,
        body: flowValue,
        header: flowValue,
        footer: flowValue,
        screen: flowValue,
        extra: fc.dictionary(flowKey, flowValue, { minKeys: 1, maxKeys: 3 }),
      },
      { requiredKeys: ['flowId', 'cta'] },
    )
    .map((p): MessagePart => ({ type: 'flow', ...p })),
  fc
    .record({ path: navigatePath, query: fc.dictionary(queryKey, anyString(12), { maxKeys: 3 }) })
    .map((p): MessagePart => ({ type: 'navigate', ...p })),
);

/** Well-formed messages: text and components in any order. */
export const messageParts = fc.array(fc.oneof(textPart, componentPart), { maxLength: 6 });

/**
 * What the parser makes of `parts` written out: adjacent text joined by the blank line the
 * serializer put between them, adjacent card lists of one kind merged into one list.
 */
export function normalise(parts: readonly MessagePart[]): MessagePart[] {
  const out: MessagePart[] = [];
  for (const part of parts) {
    const last = out.at(-1);
    if (last?.type === 'text' && part.type === 'text') {
      out[out.length - 1] = { type: 'text', text: `${last.text}\n\n${part.text}` };
    } else if (
      (last?.type === 'list-item' && part.type === 'list-item') ||
      (last?.type === 'horizontal-list-item' && part.type === 'horizontal-list-item')
    ) {
      out[out.length - 1] = { ...last, items: [...last.items, ...part.items] };
    } else {
      out.push(part);
    }
  }
  return out;
}

/** Capabilities for planRender: every kind native and unlimited unless overridden. */
export function capabilitiesWith(
  overrides: Partial<Capabilities['components']> = {},
  text: Partial<Capabilities['text']> = {},
): Pick<Capabilities, 'components' | 'text'> {
  const components = Object.fromEntries(
    COMPONENT_KINDS.map((kind) => [kind, overrides[kind] ?? { mode: 'native' }]),
  ) as Capabilities['components'];
  return { components, text: { maxLength: 4096, format: 'plain', ...text } };
}

const support = fc.record(
  {
    mode: fc.constantFrom('native', 'fallback', 'drop'),
    max: fc.integer({ min: 1, max: 6 }),
    maxLabelLength: fc.integer({ min: 1, max: 20 }),
  },
  { requiredKeys: ['mode'] },
);

/** Random capabilities: each kind's mode and limits, the text limit and format. */
export const capabilities = fc.record({
  components: fc.record(
    Object.fromEntries(COMPONENT_KINDS.map((kind) => [kind, support])) as Record<
      ComponentKind,
      typeof support
    >,
  ),
  text: fc.record(
    {
      maxLength: fc.integer({ min: 1, max: 120 }),
      format: fc.constantFrom('plain', 'markdown', 'whatsapp', 'html'),
      maxParts: fc.integer({ min: 1, max: 8 }),
    },
    { requiredKeys: ['maxLength', 'format'] },
  ),
});
