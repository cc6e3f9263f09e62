import type { ComponentKind, ComponentSupport } from '@threadline/core';

/**
 * The `:::` messages the conformance suite sends, one kind at a time, sized from the adapter's
 * own capabilities so that every limit it declares is exceeded once and respected once.
 */

/** One message to send and what to look for in what reaches the provider. */
export interface ComponentCase {
  kind: ComponentKind;
  /** Ends the test's name, e.g. `with more items than its max (4)`. */
  title: string;
  /** The text before the block, which must always reach the provider. */
  lead: string;
  /** The whole message: the lead, then one well-formed `:::` block. */
  text: string;
  /** Items in the block (buttons, rows, cards, links; 1 for single things). */
  items: number;
  /** The labels `maxLabelLength` applies to (empty for kinds without labels). */
  labels: string[];
  /** One string per item that text shown in place of the block must contain. */
  markers: string[];
  /** Strings that must not be visible unless the kind's mode is `fallback` (navigate's path). */
  hidden: string[];
}

/** Kinds whose block can hold several items. */
const MULTI_ITEM_KINDS: ReadonlySet<ComponentKind> = new Set([
  'list-item',
  'horizontal-list-item',
  'actions',
  'links',
  'images',
  'documents',
]);

/** Kinds with labels that `maxLabelLength` limits (as `planRender` counts them). */
const LABELLED_KINDS: ReadonlySet<ComponentKind> = new Set([
  'list-item',
  'horizontal-list-item',
  'actions',
  'payment',
  'flow',
]);

/** Past any limit a real platform sets for items in one component (WhatsApp lists: 10 rows). */
const UNLIMITED_OVERFLOW = 11;
/** Past the smallest common limit (WhatsApp's three reply buttons). */
const SMALL_OVERFLOW = 4;
/** A label length past what any platform allows when the adapter declares no limit. */
const UNLIMITED_LABEL = 30;

interface Block {
  body: string;
  labels: string[];
  markers: string[];
  hidden: string[];
}

/** `007`: fixed width, so no marker is a substring of another (`Card-1` of `Card-10`). */
const nth = (index: number) => String(index).padStart(3, '0');

/** A label without spaces (splitting never breaks it), padded with `x` to `length` if given. */
function label(prefix: string, index: number, length?: number): string {
  const base = `${prefix}-${nth(index)}`;
  return length === undefined || length <= base.length ? base : base.padEnd(length, 'x');
}

const url = (name: string) => `https://example.com/conformance/${name}`;

function cards(kind: ComponentKind, labels: string[]): Block {
  // One block per card: the parser merges consecutive card blocks into one list, as agents write.
  const body = labels
    .map((title, i) =>
      [
        `::: ${kind}`,
        `![image](${url(`card-${nth(i + 1)}.png`)})`,
        `#${title}`,
        `##Subtitle ${nth(i + 1)}`,
        `Summary of card ${nth(i + 1)}.`,
        ':::',
      ].join('\n'),
    )
    .join('\n');
  return { body, labels, markers: labels, hidden: [] };
}

function lines(kind: ComponentKind, rows: string[], markers: string[], labels: string[] = []) {
  return { body: [`::: ${kind}`, ...rows, ':::'].join('\n'), labels, markers, hidden: [] };
}

function block(kind: ComponentKind, count: number, longLabel?: number): Block {
  const labelAt = (prefix: string, i: number) =>
    label(prefix, i + 1, i === 0 ? longLabel : undefined);
  const indexes = Array.from({ length: count }, (_, i) => i);
  switch (kind) {
    case 'list-item':
    case 'horizontal-list-item':
      return cards(
        kind,
        indexes.map((i) => labelAt('Card', i)),
      );
    case 'actions': {
      const labels = indexes.map((i) => labelAt('Choice', i));
      return lines(
        kind,
        labels.map((l) => `- ${l}`),
        labels,
        labels,
      );
    }
    case 'links': {
      const urls = indexes.map((i) => url(`link-${nth(i + 1)}`));
      return lines(
        kind,
        urls.map((u, i) => `[Link-${nth(i + 1)}](${u})`),
        urls,
      );
    }
    case 'images': {
      const urls = indexes.map((i) => url(`image-${nth(i + 1)}.png`));
      return lines(
        kind,
        urls.map((u, i) => `![Image-${nth(i + 1)}](${u})`),
        urls,
      );
    }
    case 'documents': {
      const urls = indexes.map((i) => url(`document-${nth(i + 1)}.pdf`));
      return lines(
        kind,
        urls.map((u, i) => `[Document-${nth(i + 1)}.pdf](${u})`),
        urls,
      );
    }
    case 'payment': {
      const text = labelAt('Pay', 0);
      const checkout = url('checkout-1');
      return lines(kind, [`[${text}](${checkout})`], [checkout], [text]);
    }
    case 'flow': {
      const cta = labelAt('Start', 0);
      const rows = [
        'flow_id=conformance-flow-1',
        `flow_cta=${cta}`,
        'body=Please fill in the form.',
      ];
      return lines(kind, rows, [cta], [cta]);
    }
    case 'navigate':
      return {
        body: '::: navigate\n![navigate](/conformance-navigate?step=marker-1)\n:::',
        labels: [],
        markers: [],
        hidden: ['conformance-navigate'],
      };
  }
}

function makeCase(kind: ComponentKind, title: string, count: number, longLabel?: number) {
  const lead = `Conformance check: ${kind} ${title}.`;
  const { body, ...rest } = block(kind, count, longLabel);
  return { kind, title, lead, text: `${lead}\n\n${body}`, items: count, ...rest };
}

/** The sizes a kind is tried at. */
export type CaseVariant = 'within' | 'over-max' | 'long-label';

/** Test-name endings of each {@link CaseVariant}. */
export const CASE_VARIANT_TITLES: Record<CaseVariant, string> = {
  within: 'within its limits',
  'over-max': 'with more items than its max',
  'long-label': 'with a label longer than its maxLabelLength',
};

/**
 * The variants that apply to a kind, whatever the capabilities: `within` always, `over-max` for
 * kinds with several items, `long-label` for kinds with labels.
 */
export function caseVariants(kind: ComponentKind): CaseVariant[] {
  const variants: CaseVariant[] = ['within'];
  if (MULTI_ITEM_KINDS.has(kind)) variants.push('over-max');
  if (LABELLED_KINDS.has(kind)) variants.push('long-label');
  return variants;
}

/**
 * Builds one case, sized from the kind's declared support: `within` has up to 3 items (2 for a
 * carousel, which needs two cards); `over-max` has `max + 1` items; `long-label` has one label of
 * `maxLabelLength + 1` characters. Without a declared limit the over-limit cases use sizes past any
 * real platform's, which a native rendering must then carry whole (4 items when the kind is not
 * native at all).
 *
 * @example
 * ```ts
 * componentCase('actions', 'over-max', { mode: 'native', max: 3 }).items; // 4
 * ```
 */
export function componentCase(
  kind: ComponentKind,
  variant: CaseVariant,
  support: ComponentSupport,
): ComponentCase {
  const minimum = kind === 'horizontal-list-item' ? 2 : 1;
  const within = MULTI_ITEM_KINDS.has(kind) ? Math.max(minimum, Math.min(support.max ?? 3, 3)) : 1;
  const title = CASE_VARIANT_TITLES[variant];
  if (variant === 'over-max') {
    // Native without a max claims any size, so it is tried past every platform's; a text or
    // dropped kind has no item limit, and a modest overflow keeps its text within `maxParts`.
    const unlimited = support.mode === 'native' ? UNLIMITED_OVERFLOW : SMALL_OVERFLOW;
    const over = (support.max ?? unlimited - 1) + 1;
    return makeCase(kind, `${title} (${over} items)`, over);
  }
  if (variant === 'long-label') {
    const length = (support.maxLabelLength ?? UNLIMITED_LABEL) + 1;
    return makeCase(kind, `${title} (${length} characters)`, within, length);
  }
  return makeCase(kind, `${title} (${within} items)`, within);
}

/**
 * A case of one block with no text before it (`lead` is empty), sized as `within`: the adapter
 * must carry it on its own (a keyboard on a message it writes itself, or the block as text).
 *
 * @example
 * ```ts
 * aloneCase('actions', { mode: 'native', max: 3 }).text; // '::: actions\n- Choice-001\n…\n:::'
 * ```
 */
export function aloneCase(kind: ComponentKind, support: ComponentSupport): ComponentCase {
  const { items } = componentCase(kind, 'within', support);
  const { body, ...rest } = block(kind, items);
  return { kind, title: `alone (${items} items)`, lead: '', text: body, items, ...rest };
}

/** Characters of two and four UTF-8 bytes (the emoji is two UTF-16 units): labels no byte cut may split. */
const WIDE_CHARACTERS = ['é', '😀'] as const;

/** `Choice-001-é😀é…`: as long as `length` UTF-16 units allow without splitting the emoji. */
function wideLabel(index: number, length: number): string {
  let text = `Choice-${nth(index)}-`;
  for (let i = 0; ; i += 1) {
    const next = WIDE_CHARACTERS[i % WIDE_CHARACTERS.length] ?? '';
    if (text.length + next.length > length) return text;
    text += next;
  }
}

/**
 * A keyboard (`actions`, sized as `within`) whose labels are non-ASCII, the first as long as
 * `maxLabelLength` allows (30 without a limit): a label of 40 characters can be 100 bytes, past a
 * byte limit on button data (Telegram's 64), and must still arrive whole.
 *
 * @example
 * ```ts
 * wideLabelCase({ mode: 'native', max: 3, maxLabelLength: 20 }).labels[0]; // 'Choice-001-é😀é😀é'
 * ```
 */
export function wideLabelCase(support: ComponentSupport): ComponentCase {
  const { items, lead } = componentCase('actions', 'within', support);
  const labels = Array.from({ length: items }, (_, i) =>
    wideLabel(i + 1, i === 0 ? (support.maxLabelLength ?? UNLIMITED_LABEL) : 16),
  );
  const { body, ...rest } = lines(
    'actions',
    labels.map((l) => `- ${l}`),
    labels,
    labels,
  );
  const title = `with non-ASCII labels (${items} items)`;
  return { kind: 'actions', title, lead, text: `${lead}\n\n${body}`, items, ...rest };
}

/**
 * Whether a case fits the kind's native rendering, so that an adapter claiming `native` must
 * render it natively: mode `native`, items within `max`, labels within `maxLabelLength`, and (for
 * a carousel) at least two cards.
 */
export function fitsNatively(testCase: ComponentCase, support: ComponentSupport): boolean {
  if (support.mode !== 'native') return false;
  if (support.max !== undefined && testCase.items > support.max) return false;
  if (testCase.kind === 'horizontal-list-item' && testCase.items < 2) return false;
  const { maxLabelLength } = support;
  return maxLabelLength === undefined || testCase.labels.every((l) => l.length <= maxLabelLength);
}
