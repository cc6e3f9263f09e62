import { type ComponentPart, renderPartAsText, splitText } from '@threadline/core';

/**
 * Text messages, and the one type every renderer returns: the `message` object of a Send API
 * call (`text`, `quick_replies`, or an `attachment`), without `recipient` and `messaging_type`,
 * which `send` adds.
 */

/** The `message` of `POST /{page-id}/messages`. */
export interface SendApiMessage {
  text?: string;
  quick_replies?: Array<Record<string, unknown>>;
  attachment?: { type: string; payload: Record<string, unknown> };
}

/**
 * Longest text message on Messenger.
 * Source: https://developers.facebook.com/docs/messenger-platform/reference/send-api
 */
export const MESSENGER_TEXT_MAX = 2000;

/**
 * Longest text message on Instagram (Meta documents 1,000 bytes; counted here in characters,
 * which is the same for ASCII and stricter for the rest is not guaranteed: unconfirmed).
 * Source: https://developers.facebook.com/docs/messenger-platform/instagram/features/send-message
 */
export const INSTAGRAM_TEXT_MAX = 1000;

/**
 * Most messages one long text becomes. Our choice, not Meta's: ten full Messenger messages is
 * 20,000 characters, far past any chat reply. Past it the send is refused rather than cut.
 */
export const TEXT_MAX_PARTS = 10;

/**
 * Text split to `maxLength`, one message per chunk (none for blank text).
 *
 * @example
 * ```ts
 * textMessages('Hello', 2000); // [{ text: 'Hello' }]
 * ```
 */
export function textMessages(text: string, maxLength: number): SendApiMessage[] {
  return splitText(text, maxLength).map((chunk) => ({ text: chunk }));
}

/**
 * A component the renderer cannot show natively after all (duplicate labels, a card without an
 * image where one is needed): its text fallback, after the text that was to be its body.
 */
export function fallbackMessages(
  part: ComponentPart,
  lead: string | undefined,
  maxLength: number,
): SendApiMessage[] {
  const fallback = renderPartAsText(part, { format: 'plain' });
  return textMessages(lead === undefined ? fallback : `${lead}\n\n${fallback}`, maxLength);
}

/**
 * `text` cut to `max` characters, ending in `…` when cut (subtitles, never labels).
 *
 * @example
 * ```ts
 * truncate('A long subtitle', 10); // 'A long su…'
 * ```
 */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}
