import type { ActionsPart, Card, ListItemPart } from '@threadline/core';
import { fallbackMessages, type GraphMessage, type TextOptions, truncate } from './text';

/**
 * `actions` and `list-item` → interactive reply buttons or an interactive list. Buttons when
 * there are at most 3 short labels, a list of up to 10 rows otherwise; `planRender` has already
 * turned anything larger into text, using the `max`/`maxLabelLength` in `capabilities.ts`.
 */

/**
 * Most reply buttons on one message.
 * Source: https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/interactive-reply-buttons-messages
 */
export const REPLY_BUTTONS_MAX = 3;
/**
 * Longest reply-button title.
 * Source: https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/interactive-reply-buttons-messages
 */
export const REPLY_BUTTON_TITLE_MAX = 20;
/**
 * Longest reply-button id (the payload that comes back).
 * Source: https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/interactive-reply-buttons-messages
 */
export const REPLY_BUTTON_ID_MAX = 256;
/**
 * Most rows in one list, across all sections.
 * Source: https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/interactive-list-messages
 */
export const LIST_ROWS_MAX = 10;
/**
 * Longest row title.
 * Source: https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/interactive-list-messages
 */
export const LIST_ROW_TITLE_MAX = 24;
/**
 * Longest row description.
 * Source: https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/interactive-list-messages
 */
export const LIST_ROW_DESCRIPTION_MAX = 72;
/**
 * Longest row id.
 * Source: https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/interactive-list-messages
 */
export const LIST_ROW_ID_MAX = 200;
/**
 * Longest label of the button that opens the list.
 * Source: https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/interactive-list-messages
 */
export const LIST_BUTTON_MAX = 20;
/**
 * Longest body text of an interactive message.
 * Source: https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/interactive-reply-buttons-messages
 */
export const INTERACTIVE_BODY_MAX = 1024;

/** What choice rendering needs from the options. */
export interface ChoiceOptions extends TextOptions {
  /** The list's button label. */
  listButton: string;
  /** The body when no text came right before the block. */
  body: string;
}

function unique(values: readonly string[]): boolean {
  return new Set(values).size === values.length;
}

function interactive(
  kind: 'button' | 'list',
  body: string,
  action: Record<string, unknown>,
): GraphMessage {
  return { type: 'interactive', interactive: { type: kind, body: { text: body }, action } };
}

interface Row {
  id: string;
  title: string;
  description?: string;
}

function list(rows: Row[], body: string, options: ChoiceOptions): GraphMessage {
  return interactive('list', body, { button: options.listButton, sections: [{ rows }] });
}

/** Whether labels fit reply buttons: at most 3, each ≤ 20 characters, all different (Meta's rule). */
export function fitsButtons(labels: readonly string[]): boolean {
  return (
    labels.length <= REPLY_BUTTONS_MAX &&
    labels.every((label) => label.length <= REPLY_BUTTON_TITLE_MAX) &&
    unique(labels)
  );
}

/** Whether titles fit list rows: at most 10, each ≤ 24 characters. */
export function fitsList(titles: readonly string[]): boolean {
  return titles.length <= LIST_ROWS_MAX && titles.every((t) => t.length <= LIST_ROW_TITLE_MAX);
}

/**
 * `::: actions` → reply buttons (≤ 3 labels of ≤ 20 characters), else a list (≤ 10 rows of ≤ 24),
 * else text. Each button or row id is its label, so a tap comes back with `payload` = the label
 * the agent wrote (DESIGN §4: actions send their label back). Duplicate labels become text:
 * WhatsApp requires distinct button titles and row ids.
 *
 * @example
 * ```ts
 * renderActions({ type: 'actions', actions: [{ label: 'Yes' }, { label: 'No' }] }, 'Go on?', options);
 * // [{ type: 'interactive', interactive: { type: 'button', body: { text: 'Go on?' },
 * //    action: { buttons: [{ type: 'reply', reply: { id: 'Yes', title: 'Yes' } }, …] } } }]
 * ```
 */
export function renderActions(
  part: ActionsPart,
  lead: string | undefined,
  options: ChoiceOptions,
): GraphMessage[] {
  const labels = part.actions.map((action) => action.label);
  const body = lead ?? options.body;
  if (fitsButtons(labels)) {
    const buttons = labels.map((label) => ({
      type: 'reply',
      reply: { id: label.slice(0, REPLY_BUTTON_ID_MAX), title: label },
    }));
    return [interactive('button', body, { buttons })];
  }
  const ids = labels.map((label) => label.slice(0, LIST_ROW_ID_MAX));
  if (fitsList(labels) && unique(ids)) {
    return [
      list(
        labels.map((title, i) => ({ id: ids[i] as string, title })),
        body,
        options,
      ),
    ];
  }
  return fallbackMessages(part, lead, options);
}

/** The row of one card: id `item-<n>` (its position), the title, subtitle or summary below. */
function cardRow(card: Card, index: number): Row {
  const description = card.subtitle ?? card.summary;
  return {
    id: `item-${index + 1}`,
    title: card.title,
    ...(description === undefined
      ? {}
      : { description: truncate(description, LIST_ROW_DESCRIPTION_MAX) }),
  };
}

/**
 * `::: list-item` cards → one interactive list (≤ 10 rows, titles ≤ 24), else text. A row shows
 * the card's title and its subtitle (or summary) cut to 72 characters; a list row has no image,
 * so card images are not shown. A tap comes back with `payload` = `item-<n>`, the card's
 * position, and `text` = its title.
 *
 * @example
 * ```ts
 * renderCards({ type: 'list-item', items: [{ title: 'Green tea', subtitle: '£3' }] }, undefined, options);
 * // [{ type: 'interactive', interactive: { type: 'list', body: { text: 'Please choose:' },
 * //    action: { button: 'Options', sections: [{ rows: [{ id: 'item-1', title: 'Green tea', description: '£3' }] }] } } }]
 * ```
 */
export function renderCards(
  part: ListItemPart,
  lead: string | undefined,
  options: ChoiceOptions,
): GraphMessage[] {
  const titles = part.items.map((card) => card.title);
  if (!fitsList(titles)) return fallbackMessages(part, lead, options);
  return [list(part.items.map(cardRow), lead ?? options.body, options)];
}
