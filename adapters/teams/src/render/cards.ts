import type {
  ActionsPart,
  Card,
  ComponentPart,
  DocumentsPart,
  ImagesPart,
  JsonObject,
  LinksPart,
  PaymentPart,
} from '@threadline/core';

/**
 * `:::` components → Adaptive Cards. Only elements and actions of schema 1.5 are used, the newest
 * version Teams renders on every client; cards are checked against the official 1.5 JSON schema in
 * the tests. Source: https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/cards-reference#adaptive-card
 */

/** The Adaptive Card schema version Teams supports. */
export const ADAPTIVE_CARD_VERSION = '1.5';
/** The attachment content type of an Adaptive Card. */
export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
/**
 * Buttons Teams shows on one card (its host config's `maxActions`); more are cut off, so such a
 * block falls back to text. Source: https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/design-effective-cards
 */
export const CARD_ACTIONS_MAX = 6;
/** Cards in one carousel (`attachmentLayout: carousel`) or one list. Source: same page. */
export const CARD_ITEMS_MAX = 10;
/** The verb our `Action.Execute` buttons carry, so invokes can be told apart from other cards'. */
export const EXECUTE_VERB = 'threadline.choose';

/** How `actions` buttons answer. */
export type CardActionStyle = 'submit' | 'execute';

/** An Adaptive Card as JSON. */
export type AdaptiveCard = JsonObject;

function card(body: JsonObject[], actions: JsonObject[] = []): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: ADAPTIVE_CARD_VERSION,
    body,
    ...(actions.length > 0 ? { actions } : {}),
  };
}

const textBlock = (text: string, extra: JsonObject = {}): JsonObject => ({
  type: 'TextBlock',
  text,
  wrap: true,
  ...extra,
});

/** Action ids name the block kind and position (`links-2`), so replies and tests can tell them apart. */
const actionId = (kind: string, index: number) => `${kind}-${index + 1}`;

function choice(label: string, index: number, style: CardActionStyle): JsonObject {
  const data = { threadline: { label, payload: label } };
  const id = actionId('actions', index);
  return style === 'execute'
    ? { type: 'Action.Execute', id, title: label, verb: EXECUTE_VERB, data }
    : { type: 'Action.Submit', id, title: label, data };
}

const openUrl = (kind: string, index: number, title: string, url: string): JsonObject => ({
  type: 'Action.OpenUrl',
  id: actionId(kind, index),
  title,
  url,
});

function cardItem(item: Card): JsonObject[] {
  return [
    ...(item.imageUrl ? [{ type: 'Image', url: item.imageUrl, altText: item.title }] : []),
    textBlock(item.title, { weight: 'Bolder', size: 'Medium' }),
    ...(item.subtitle ? [textBlock(item.subtitle, { isSubtle: true, spacing: 'None' })] : []),
    ...(item.summary ? [textBlock(item.summary)] : []),
  ];
}

function listCard(items: Card[]): AdaptiveCard {
  return card(
    items.map((item, index) => ({
      type: 'Container',
      separator: index > 0,
      items: cardItem(item),
    })),
  );
}

const actionsCard = (part: ActionsPart, style: CardActionStyle) =>
  card(
    [],
    part.actions.map((action, index) => choice(action.label, index, style)),
  );
const linksCard = (part: LinksPart) =>
  card(
    [],
    part.links.map((link, index) => openUrl('links', index, link.title ?? link.url, link.url)),
  );
const imagesCard = (part: ImagesPart) =>
  card([
    {
      type: 'ImageSet',
      imageSize: 'Medium',
      images: part.images.map((image) => ({
        type: 'Image',
        url: image.url,
        ...(image.alt ? { altText: image.alt } : {}),
      })),
    },
  ]);
const documentsCard = (part: DocumentsPart) =>
  card(
    [],
    part.documents.map((doc, index) => openUrl('documents', index, doc.name ?? doc.url, doc.url)),
  );
const paymentCard = (part: PaymentPart) => card([], [openUrl('payment', 0, part.text, part.url)]);

/**
 * The Adaptive Cards for one component and how Teams lays them out: a carousel is several cards
 * side by side; everything else is one card. Kinds Teams cannot show (`flow`, `navigate`) return
 * `undefined`; capabilities never plan them as native.
 *
 * @example
 * ```ts
 * renderCards({ type: 'actions', actions: [{ label: 'Yes' }] }, 'submit');
 * // { layout: 'list', cards: [{ type: 'AdaptiveCard', version: '1.5', body: [], actions: [{ type: 'Action.Submit', … }] }] }
 * ```
 */
export function renderCards(
  part: ComponentPart,
  style: CardActionStyle,
): { layout: 'list' | 'carousel'; cards: AdaptiveCard[] } | undefined {
  switch (part.type) {
    case 'list-item':
      return { layout: 'list', cards: [listCard(part.items)] };
    case 'horizontal-list-item':
      return { layout: 'carousel', cards: part.items.map((item) => card(cardItem(item))) };
    case 'actions':
      return { layout: 'list', cards: [actionsCard(part, style)] };
    case 'links':
      return { layout: 'list', cards: [linksCard(part)] };
    case 'images':
      return { layout: 'list', cards: [imagesCard(part)] };
    case 'documents':
      return { layout: 'list', cards: [documentsCard(part)] };
    case 'payment':
      return { layout: 'list', cards: [paymentCard(part)] };
    default:
      return undefined;
  }
}

/**
 * The answer to an `adaptiveCard/action` invoke: the card refreshed to show the choice, so the
 * buttons cannot be pressed twice. The agent's reply follows as its own message.
 * Source: https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/work-with-universal-actions-for-adaptive-cards
 */
export function executeAnswer(label: string): JsonObject {
  return {
    statusCode: 200,
    type: ADAPTIVE_CARD_CONTENT_TYPE,
    value: card([textBlock(`✓ ${label}`, { weight: 'Bolder' })]),
  };
}
