import type { ActionsPart, PaymentPart } from '@threadline/core';
import { fallbackMessages, type SendApiMessage, truncate } from './text';

/**
 * `actions` as quick replies and `payment` as a one-button button template.
 * Sources:
 * https://developers.facebook.com/documentation/business-messaging/messenger-platform/send-messages/quick-replies
 * https://developers.facebook.com/documentation/business-messaging/messenger-platform/send-messages/buttons/postback
 */

/** Most quick replies on one message. */
export const QUICK_REPLIES_MAX = 13;
/** Longest quick-reply (and button) title; Meta truncates past it, so longer labels fall back. */
export const BUTTON_TITLE_MAX = 20;
/** Longest quick-reply payload (unconfirmed; the postback button's documented limit). */
export const PAYLOAD_MAX = 1000;
/** Buttons on a button template. */
export const BUTTON_TEMPLATE_BUTTONS_MAX = 3;
/** Longest text of a button template. */
export const BUTTON_TEMPLATE_TEXT_MAX = 640;
/** The text of a quick-reply message when the agent wrote none before the block. */
export const DEFAULT_CHOICE_TEXT = 'Please choose:';

/**
 * Quick replies: the text before the block (or {@link DEFAULT_CHOICE_TEXT}) with one button per
 * label; the payload is the label, so a tap reads like the user typed it. Duplicate labels fall
 * back to text (Meta would show two identical buttons).
 *
 * @example
 * ```ts
 * renderQuickReplies({ type: 'actions', actions: [{ label: 'Yes' }] }, 'Book it?', 2000);
 * // [{ text: 'Book it?', quick_replies: [{ content_type: 'text', title: 'Yes', payload: 'Yes' }] }]
 * ```
 */
export function renderQuickReplies(
  part: ActionsPart,
  lead: string | undefined,
  maxLength: number,
): SendApiMessage[] {
  const labels = part.actions.map((action) => action.label);
  if (new Set(labels).size !== labels.length) return fallbackMessages(part, lead, maxLength);
  return [
    {
      text: lead ?? DEFAULT_CHOICE_TEXT,
      quick_replies: labels.map((label) => ({
        content_type: 'text',
        title: label,
        payload: label.slice(0, PAYLOAD_MAX),
      })),
    },
  ];
}

/**
 * A checkout link as a button template with one `web_url` button: the text before the block is
 * the template's text.
 *
 * @example
 * ```ts
 * renderPayment({ type: 'payment', text: 'Pay now', url: 'https://pay.example/1' }, 'Total: $12');
 * ```
 */
export function renderPayment(part: PaymentPart, lead: string | undefined): SendApiMessage[] {
  return [
    {
      attachment: {
        type: 'template',
        payload: {
          template_type: 'button',
          text: truncate(lead ?? part.text, BUTTON_TEMPLATE_TEXT_MAX),
          buttons: [{ type: 'web_url', url: part.url, title: part.text }],
        },
      },
    },
  ];
}
