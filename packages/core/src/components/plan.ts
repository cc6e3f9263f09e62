import type { Capabilities, ComponentSupport } from '../capabilities/schema';
import { ValidationError } from '../errors/validation';
import { type FallbackFormat, renderPartAsText } from './fallback';
import { componentItemCount, componentLabels } from './measure';
import type { ComponentPart, ListItemPart, MessagePart } from './parts';
import { splitText } from './split';

/**
 * Parts + a channel's capabilities → what to send, in order: components the channel shows
 * natively, and text (fallbacks merged with the text around them, split to the length limit).
 * Adapters render each segment; none of them re-decides what fits.
 */

/** One thing to send: a text message, or a component the channel renders natively. */
export type RenderSegment =
  | { type: 'text'; text: string }
  | { type: 'component'; part: ComponentPart };

type PlanCapabilities = Pick<Capabilities, 'components' | 'text'>;

/** Whether `part` fits the channel's native rendering of its kind. */
function fitsNatively(part: ComponentPart, support: ComponentSupport): boolean {
  if (support.mode !== 'native') return false;
  if (support.max !== undefined && componentItemCount(part) > support.max) return false;
  const { maxLabelLength } = support;
  return (
    maxLabelLength === undefined || componentLabels(part).every((l) => l.length <= maxLabelLength)
  );
}

/**
 * The segment for one component, or `undefined` when the channel drops it. A carousel that
 * cannot be shown, or has fewer than two cards, is shown as a vertical list instead (DESIGN §4).
 */
function planComponent(
  part: ComponentPart,
  capabilities: PlanCapabilities,
  format: FallbackFormat,
): RenderSegment | undefined {
  const support = capabilities.components[part.type];
  if (support.mode === 'drop') return undefined;
  if (fitsNatively(part, support)) {
    if (part.type !== 'horizontal-list-item' || part.items.length >= 2) {
      return { type: 'component', part };
    }
  }
  if (part.type === 'horizontal-list-item') {
    const list: ListItemPart = { type: 'list-item', items: part.items };
    return planComponent(list, capabilities, format);
  }
  return { type: 'text', text: renderPartAsText(part, { format }) };
}

/** Merges adjacent text into one text (a blank line between), dropping empty text. */
function mergeText(segments: readonly RenderSegment[]): RenderSegment[] {
  const merged: RenderSegment[] = [];
  for (const segment of segments) {
    if (segment.type === 'text' && segment.text.trim() === '') continue;
    const last = merged.at(-1);
    if (segment.type === 'text' && last?.type === 'text') {
      merged[merged.length - 1] = { type: 'text', text: `${last.text}\n\n${segment.text}` };
    } else {
      merged.push(segment);
    }
  }
  return merged;
}

/**
 * Plans how a message's parts are sent on a channel. Each component is sent natively when its
 * kind's `mode` is `native`, its item count is within `max` and its labels within
 * `maxLabelLength`; it is dropped when `mode` is `drop`; otherwise it becomes text through
 * {@link renderPartAsText} (`html` channels get `plain`). A `horizontal-list-item` that cannot be
 * shown natively, or has fewer than 2 cards, is planned as a `list-item`. Adjacent text is merged
 * and split to `text.maxLength` by {@link splitText} (a URL longer than that is sent whole).
 *
 * @throws ValidationError (path `text`) when the text needs more messages than `text.maxParts`:
 * the send is refused rather than cut.
 * @example
 * ```ts
 * const segments = planRender(parseMessage(reply), adapter.capabilities);
 * for (const segment of segments) {
 *   if (segment.type === 'text') await sendText(segment.text);
 *   else await sendComponent(segment.part);
 * }
 * ```
 */
export function planRender(
  parts: readonly MessagePart[],
  capabilities: PlanCapabilities,
): RenderSegment[] {
  const format: FallbackFormat =
    capabilities.text.format === 'html' ? 'plain' : capabilities.text.format;
  const planned: RenderSegment[] = [];
  for (const part of parts) {
    const segment =
      part.type === 'text'
        ? ({ type: 'text', text: part.text } as const)
        : planComponent(part, capabilities, format);
    if (segment !== undefined) planned.push(segment);
  }

  const segments = mergeText(planned).flatMap((segment): RenderSegment[] =>
    segment.type === 'text'
      ? splitText(segment.text, capabilities.text.maxLength).map((text) => ({ type: 'text', text }))
      : [segment],
  );

  const { maxParts } = capabilities.text;
  const needed = segments.filter((segment) => segment.type === 'text').length;
  if (maxParts !== undefined && needed > maxParts) {
    throw new ValidationError('message', [
      {
        path: 'text',
        message: `needs ${needed} text messages, but the channel allows at most ${maxParts}`,
      },
    ]);
  }
  return segments;
}
