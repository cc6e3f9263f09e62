import {
  type ComponentKind,
  type ComponentPart,
  componentItemCount,
  componentLabels,
  type RenderSegment,
} from '@threadline/core';
import type { SentMessage } from '../outbound';

/**
 * One message as it reached a provider, normalised so the conformance suite can check limits
 * without knowing the provider's payloads: text as the user sees it, or a native component with
 * its item count (buttons, rows, cards, links) and the labels the platform shows.
 */
export type RenderedMessage =
  | {
      type: 'text';
      text: string;
      /** The provider id of the message this one quotes, for a fixture with `outbound.replyTo`. */
      replyTo?: string;
    }
  | { type: 'component'; kind: ComponentKind; items: number; labels?: string[] };

/**
 * Describes a native component as a {@link RenderedMessage}: a provider mock that can recover
 * the part (or an adapter that renders `planRender`'s segments) reports with this.
 *
 * @example
 * ```ts
 * renderedComponent({ type: 'actions', actions: [{ label: 'Yes' }, { label: 'No' }] });
 * // { type: 'component', kind: 'actions', items: 2, labels: ['Yes', 'No'] }
 * ```
 */
export function renderedComponent(part: ComponentPart): RenderedMessage {
  const labels = componentLabels(part);
  return {
    type: 'component',
    kind: part.type,
    items: componentItemCount(part),
    ...(labels.length > 0 ? { labels } : {}),
  };
}

/**
 * Describes one `planRender` segment as a {@link RenderedMessage}.
 *
 * @example
 * ```ts
 * const rendered = planRender(parts, capabilities).map(renderedFromSegment);
 * ```
 */
export function renderedFromSegment(segment: RenderSegment): RenderedMessage {
  return segment.type === 'text'
    ? { type: 'text', text: segment.text }
    : renderedComponent(segment.part);
}

/**
 * Describes what the test adapter recorded for one send: its segments, or the template it sent
 * (shown as `template <name>`, so a template send is visible to the suite).
 *
 * @example
 * ```ts
 * const sent = () => adapter.sent.flatMap(renderedFromSent);
 * ```
 */
export function renderedFromSent(record: SentMessage): RenderedMessage[] {
  const { template } = record.envelope;
  if (template !== undefined) return [{ type: 'text', text: `template ${template.name}` }];
  return record.segments.map(renderedFromSegment);
}
