import type { Card, HorizontalListItemPart } from '@threadline/core';
import { type SendApiMessage, truncate } from './text';

/**
 * Cards as a generic template (Messenger's horizontal carousel), one element per card.
 * Source: https://developers.facebook.com/documentation/business-messaging/messenger-platform/send-messages/templates/generic
 */

/** Elements in one generic template. */
export const GENERIC_ELEMENTS_MAX = 10;
/** Longest element title; longer cards fall back to text. */
export const GENERIC_TITLE_MAX = 80;
/** Longest element subtitle (the card's subtitle and summary, cut to fit). */
export const GENERIC_SUBTITLE_MAX = 80;

/** The postback payload of card `index` (1-based), as the webhook returns it when tapped. */
export const cardPayload = (index: number) => `item-${index}`;

function element(card: Card, index: number): Record<string, unknown> {
  const subtitle = [card.subtitle, card.summary].filter(Boolean).join(' · ');
  return {
    title: card.title,
    ...(subtitle ? { subtitle: truncate(subtitle, GENERIC_SUBTITLE_MAX) } : {}),
    ...(card.imageUrl ? { image_url: card.imageUrl } : {}),
    // A button makes the card answerable: the tap arrives as a postback with the card's position.
    buttons: [{ type: 'postback', title: truncate(card.title, 20), payload: cardPayload(index) }],
  };
}

/**
 * A carousel of cards as one generic template.
 *
 * @example
 * ```ts
 * renderCarousel({ type: 'horizontal-list-item', items: [{ title: 'Room A' }] });
 * // [{ attachment: { type: 'template', payload: { template_type: 'generic', elements: [ … ] } } }]
 * ```
 */
export function renderCarousel(part: HorizontalListItemPart): SendApiMessage[] {
  return [
    {
      attachment: {
        type: 'template',
        payload: {
          template_type: 'generic',
          elements: part.items.map((card, i) => element(card, i + 1)),
        },
      },
    },
  ];
}
