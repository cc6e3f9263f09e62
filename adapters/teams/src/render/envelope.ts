import {
  type Capabilities,
  type JsonObject,
  type OutboundEnvelope,
  parseMessage,
  planRender,
} from '@threadline/core';
import { ADAPTIVE_CARD_CONTENT_TYPE, type CardActionStyle, renderCards } from './cards';

/**
 * An envelope → the activities to post, in order: text as `markdown` messages (Teams renders a
 * markdown subset), native components as Adaptive Card attachments, media as attachment links.
 */

/** What rendering needs from the adapter. */
export interface RenderContext {
  capabilities: Pick<Capabilities, 'components' | 'text'>;
  cardActions: CardActionStyle;
}

const textActivity = (text: string): JsonObject => ({
  type: 'message',
  text,
  textFormat: 'markdown',
});

/**
 * Renders one envelope into message activities.
 *
 * @example
 * ```ts
 * renderEnvelope({ deliveryId: 'd1', to: { address: '29:1' }, text: 'Hi', parts: [{ type: 'text', text: 'Hi' }] }, context);
 * // [{ type: 'message', text: 'Hi', textFormat: 'markdown' }]
 * ```
 */
export function renderEnvelope(envelope: OutboundEnvelope, context: RenderContext): JsonObject[] {
  const activities: JsonObject[] = [];
  const parts = envelope.parts ?? (envelope.text ? parseMessage(envelope.text) : []);
  for (const segment of planRender(parts, context.capabilities)) {
    if (segment.type === 'text') {
      activities.push(textActivity(segment.text));
      continue;
    }
    const rendered = renderCards(segment.part, context.cardActions);
    if (rendered === undefined) continue;
    activities.push({
      type: 'message',
      ...(rendered.layout === 'carousel' ? { attachmentLayout: 'carousel' } : {}),
      attachments: rendered.cards.map((content) => ({
        contentType: ADAPTIVE_CARD_CONTENT_TYPE,
        content,
      })),
    });
  }
  for (const media of envelope.media ?? []) {
    if (media.url === undefined) continue;
    activities.push({
      type: 'message',
      ...(media.caption ? { text: media.caption, textFormat: 'markdown' } : {}),
      attachments: [
        {
          contentType: media.mimeType ?? 'application/octet-stream',
          contentUrl: media.url,
          ...(media.filename ? { name: media.filename } : {}),
        },
      ],
    });
  }
  return activities;
}
