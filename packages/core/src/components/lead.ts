import type { ComponentPart } from './parts';
import type { RenderSegment } from './plan';

/** A planned segment with the short text before a block handed to it as its body. */
export type LeadSegment =
  | { type: 'text'; text: string }
  | { type: 'component'; part: ComponentPart; lead: string | undefined };

/** Options of {@link attachLeads}. */
export interface AttachLeadsOptions {
  /** Whether the channel's native form of `part` has a body the text before it can fill. */
  takesLead(part: ComponentPart): boolean;
  /** Longest text that can become a body; a longer one stays a message of its own. */
  maxLeadLength: number;
}

/**
 * Hands each text segment to the block right after it as its body ("lead") when that block
 * takes one and the text fits, so "Pick one:" and its buttons arrive as one message instead of
 * two. Channels differ only in which blocks take a lead and how long it may be.
 *
 * @example
 * ```ts
 * const segments = attachLeads(planRender(parts, capabilities), {
 *   takesLead: (part) => part.type === 'actions',
 *   maxLeadLength: 640,
 * });
 * // [{ type: 'component', part: actions, lead: 'Pick one:' }]
 * ```
 */
export function attachLeads(
  segments: readonly RenderSegment[],
  options: AttachLeadsOptions,
): LeadSegment[] {
  const result: LeadSegment[] = [];
  let lead: string | undefined;
  segments.forEach((segment, index) => {
    if (segment.type === 'component') {
      result.push({ type: 'component', part: segment.part, lead });
      lead = undefined;
      return;
    }
    const next = segments[index + 1];
    const joins =
      next?.type === 'component' &&
      options.takesLead(next.part) &&
      segment.text.length <= options.maxLeadLength;
    if (joins) lead = segment.text;
    else result.push(segment);
  });
  return result;
}
