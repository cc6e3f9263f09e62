import type { PaymentPart } from '@threadline/core';
import type { GraphMessage } from './text';

/**
 * `::: payment` → an interactive call-to-action URL button: the user sees the agent's text and
 * one button that opens the checkout. `::: links` are not rendered here: they go as text with a
 * link preview (`capabilities.components.links` is `fallback`), which shows every link, where a
 * CTA message could show only one.
 */

/**
 * Longest label of a CTA URL button.
 * Source: https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/interactive-cta-url-messages
 */
export const CTA_DISPLAY_TEXT_MAX = 20;

/**
 * A payment block as a CTA URL button. The body is the text the agent wrote right before the
 * block, or the button's own text when there was none (the body is required).
 *
 * @example
 * ```ts
 * renderPayment({ type: 'payment', text: 'Pay £12', url: 'https://pay.test/1' }, 'Your total:');
 * // [{ type: 'interactive', interactive: { type: 'cta_url', body: { text: 'Your total:' },
 * //    action: { name: 'cta_url', parameters: { display_text: 'Pay £12', url: 'https://pay.test/1' } } } }]
 * ```
 */
export function renderPayment(part: PaymentPart, lead: string | undefined): GraphMessage[] {
  return [
    {
      type: 'interactive',
      interactive: {
        type: 'cta_url',
        body: { text: lead ?? part.text },
        action: { name: 'cta_url', parameters: { display_text: part.text, url: part.url } },
      },
    },
  ];
}
