import { type ComponentPart, renderPartAsText, splitText } from '@threadline/core';

/**
 * Text messages, and the text every component falls back to. Also the one type every renderer
 * returns: a Graph message body without `messaging_product` and `to`, which `send` adds.
 */

/** One message for `POST /{phone-number-id}/messages`, before `messaging_product` and `to`. */
export interface GraphMessage {
  type: string;
  [field: string]: unknown;
}

/**
 * Longest text body. Source: https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/text-messages
 */
export const TEXT_MAX_LENGTH = 4096;

/**
 * Most messages one long text becomes. Our choice, not Meta's: ten full messages is 40,960
 * characters, far past any chat reply, and a longer burst to one user trips the pair rate limit
 * (131056). Past it the send is refused (`invalid_request`) rather than cut.
 */
export const TEXT_MAX_PARTS = 10;

const URL_IN_TEXT = /https?:\/\/\S/i;

/** What text rendering needs from the adapter's options. */
export interface TextOptions {
  /** Ask for a link preview when the text holds a URL. */
  previewLinks: boolean;
}

/**
 * A text message. `preview_url` is set when the text has a link (and previews are on), so a
 * link sent as text still shows its card.
 *
 * @example
 * ```ts
 * textMessage('See https://example.com', { previewLinks: true });
 * // { type: 'text', text: { body: 'See https://example.com', preview_url: true } }
 * ```
 */
export function textMessage(body: string, options: TextOptions): GraphMessage {
  return {
    type: 'text',
    text: { body, preview_url: options.previewLinks && URL_IN_TEXT.test(body) },
  };
}

/** Text split to {@link TEXT_MAX_LENGTH}, one message per chunk (none for blank text). */
export function textMessages(text: string, options: TextOptions): GraphMessage[] {
  return splitText(text, TEXT_MAX_LENGTH).map((chunk) => textMessage(chunk, options));
}

/**
 * A component the renderer found it cannot show natively after all (duplicate button labels, a
 * carousel card without an image): its text fallback, after the text that was to be its body.
 */
export function fallbackMessages(
  part: ComponentPart,
  lead: string | undefined,
  options: TextOptions,
): GraphMessage[] {
  const fallback = renderPartAsText(part, { format: 'whatsapp' });
  const text = lead === undefined ? fallback : `${lead}\n\n${fallback}`;
  return textMessages(text, options);
}

/**
 * `text` cut to `max` characters, ending in `…` when cut (descriptions, never labels).
 *
 * @example
 * ```ts
 * truncate('A long description', 10); // 'A long de…'
 * ```
 */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}
