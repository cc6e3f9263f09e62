import type { Card, HorizontalListItemPart } from '@threadline/core';
import type { CarouselTemplateOption } from '../options';
import { type ChoiceOptions, renderCards } from './choices';
import type { GraphMessage } from './text';

/**
 * `::: horizontal-list-item` → a media-card carousel template. WhatsApp has no free-form
 * carousel: cards travel only in an approved carousel template, whose card layout (an image
 * header, body parameters, an optional quick-reply button) the host configures as
 * `carouselTemplate`. Without one, capabilities declare the kind `fallback` and `planRender`
 * sends carousels as lists.
 */

/**
 * Most cards in a carousel.
 * Source: https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/marketing-templates/media-card-carousel-templates
 */
export const CAROUSEL_CARDS_MAX = 10;
/**
 * Fewest cards in a carousel (`planRender` sends a single card as a list).
 * Source: https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/marketing-templates/media-card-carousel-templates
 */
export const CAROUSEL_CARDS_MIN = 2;

/** The card's value for each body parameter, or `undefined` if the card lacks one. */
function bodyValues(card: Card, template: CarouselTemplateOption): string[] | undefined {
  const values = template.bodyParameters.map((field) => card[field]);
  return values.every((value): value is string => value !== undefined && value !== '')
    ? values
    : undefined;
}

function cardComponents(card: Card, index: number, template: CarouselTemplateOption) {
  const body = bodyValues(card, template) ?? [];
  return [
    { type: 'header', parameters: [{ type: 'image', image: { link: card.imageUrl } }] },
    { type: 'body', parameters: body.map((text) => ({ type: 'text', text })) },
    ...(template.quickReplyButton
      ? [
          {
            type: 'button',
            sub_type: 'quick_reply',
            index: '0',
            parameters: [{ type: 'payload', payload: `item-${index + 1}` }],
          },
        ]
      : []),
  ];
}

/**
 * Cards → the configured carousel template, one template card per card: the card's image as the
 * header, the fields named by `bodyParameters` as body parameters, and (with `quickReplyButton`)
 * a quick reply whose payload is `item-<n>`, as list rows have. A card without an image or
 * without a value for a body parameter cannot fill the template, so the whole block is rendered
 * as a list (or text) instead. The template's own text is fixed, so text the agent wrote before
 * the block goes as a message of its own.
 *
 * @example
 * ```ts
 * renderCarousel(part, { name: 'shoes', languageCode: 'en_US', bodyParameters: ['title'], quickReplyButton: false }, options);
 * // [{ type: 'template', template: { name: 'shoes', language: { code: 'en_US' },
 * //    components: [{ type: 'carousel', cards: [{ card_index: 0, components: [header, body] }, …] }] } }]
 * ```
 */
export function renderCarousel(
  part: HorizontalListItemPart,
  template: CarouselTemplateOption,
  options: ChoiceOptions,
): GraphMessage[] {
  const complete = part.items.every(
    (card) => card.imageUrl !== undefined && bodyValues(card, template) !== undefined,
  );
  if (!complete || part.items.length > CAROUSEL_CARDS_MAX) {
    return renderCards({ type: 'list-item', items: part.items }, undefined, options);
  }
  const cards = part.items.map((card, index) => ({
    card_index: index,
    components: cardComponents(card, index, template),
  }));
  return [
    {
      type: 'template',
      template: {
        name: template.name,
        language: { code: template.languageCode },
        components: [{ type: 'carousel', cards }],
      },
    },
  ];
}
