import type { Card, FlowPart, MessagePart } from './parts';

/**
 * Parts → readable text, for channels that cannot show a component natively (SMS, or a list too
 * long for WhatsApp's ten rows). Pure functions: the planner and adapters call them per part.
 */

/** How the channel shows emphasis. Email (`html`) is rendered as `plain` by the planner. */
export type FallbackFormat = 'plain' | 'markdown' | 'whatsapp';

/** Options of {@link renderPartAsText} and {@link renderFallbackText}. */
export interface FallbackTextOptions {
  /** How titles are emphasised: markdown `**x**`, WhatsApp `*x*`, plain not at all. Default `plain`. */
  format?: FallbackFormat;
}

/**
 * A Flow is a WhatsApp form with no web address, so off WhatsApp the user can only be told where
 * it opens; the agent's surrounding text is expected to offer another way.
 */
const FLOW_NOTE = 'opens in WhatsApp';

function emphasise(text: string, format: FallbackFormat): string {
  if (format === 'markdown') return `**${text}**`;
  if (format === 'whatsapp') return `*${text}*`;
  return text;
}

/** `label: url`, or just the url when there is no label. */
function labelled(label: string | undefined, url: string): string {
  return label === undefined || label === '' ? url : `${label}: ${url}`;
}

function lines(values: readonly (string | undefined)[]): string {
  return values.filter((value) => value !== undefined && value !== '').join('\n');
}

function renderCard(card: Card, format: FallbackFormat): string {
  return lines([emphasise(card.title, format), card.subtitle, card.summary, card.imageUrl]);
}

function renderFlow(part: FlowPart, format: FallbackFormat): string {
  const header = part.header === undefined ? undefined : emphasise(part.header, format);
  const body = lines([header, part.body, part.footer]);
  const cta = `${emphasise(part.cta, format)} (${FLOW_NOTE})`;
  return body === '' ? cta : `${body}\n\n${cta}`;
}

/**
 * Renders one part as plain text. Cards: emphasised title, subtitle, summary and image url, cards
 * separated by a blank line. Actions: a numbered list (`1. Yes`), so the user can reply with the
 * label or the number. Links, documents and payment: `label: url` (or the url). Images: their
 * urls. Flow: header, body and footer, then the button label noting it opens in WhatsApp.
 * Navigate: `''`, since it is an instruction to the web widget and is never shown.
 *
 * @example
 * ```ts
 * renderPartAsText({ type: 'actions', actions: [{ label: 'Yes' }, { label: 'No' }] });
 * // '1. Yes\n2. No'
 * ```
 */
export function renderPartAsText(part: MessagePart, options: FallbackTextOptions = {}): string {
  const format = options.format ?? 'plain';
  switch (part.type) {
    case 'text':
      return part.text;
    case 'list-item':
    case 'horizontal-list-item':
      return part.items.map((card) => renderCard(card, format)).join('\n\n');
    case 'actions':
      return part.actions.map((action, index) => `${index + 1}. ${action.label}`).join('\n');
    case 'links':
      return lines(part.links.map((link) => labelled(link.title, link.url)));
    case 'images':
      return lines(part.images.map((image) => image.url));
    case 'documents':
      return lines(part.documents.map((document) => labelled(document.name, document.url)));
    case 'payment':
      return labelled(part.text, part.url);
    case 'flow':
      return renderFlow(part, format);
    case 'navigate':
      return '';
  }
}

/**
 * Renders every part as text and joins them with a blank line; parts that render to nothing
 * (navigate) leave no gap.
 *
 * @example
 * ```ts
 * renderFallbackText(parseMessage('Our picks:\n::: list-item\n#Tea\n##Green\n:::'), { format: 'whatsapp' });
 * // 'Our picks:\n\n*Tea*\nGreen'
 * ```
 */
export function renderFallbackText(
  parts: readonly MessagePart[],
  options: FallbackTextOptions = {},
): string {
  return parts
    .map((part) => renderPartAsText(part, options))
    .filter((text) => text !== '')
    .join('\n\n');
}
