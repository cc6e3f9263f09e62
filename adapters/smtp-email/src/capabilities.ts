import { type Capabilities, defineCapabilities } from '@threadline/core';

/**
 * What email can do, as the core reads it: anyone with an address can be reached cold, there is
 * no session window, components are rendered as HTML with a text part, and the recipient opts out
 * with the one-click unsubscribe link rather than a keyword.
 */

/**
 * Characters of text per email before the text is cut into sections. Email itself has no limit;
 * Gmail clips a message body over 102 KB behind "View entire message", so one section stays under it.
 * Source: https://support.google.com/mail/answer/6584 (and Gmail's clipping behaviour, widely documented)
 */
export const TEXT_SECTION_MAX_LENGTH = 100_000;

/**
 * Attachment size limits: Gmail and Outlook.com refuse messages over 25 MB and 20 MB; base64
 * grows a file by a third, so ~15 MB of attachments is what reliably arrives.
 * Source: https://support.google.com/mail/answer/6584 and
 * https://support.microsoft.com/office/reduce-the-size-of-pictures-and-attachments-in-outlook-email-messages-8d7c1b98-b462-4a1b-9ed4-bc3b8a2b1e8b
 */
export const ATTACHMENT_MAX_BYTES = 15 * 1024 * 1024;

/** What capabilities depend on in the options. */
export interface EmailCapabilityOptions {
  /** Whether action buttons can be signed links (needs `publicUrl` and `linkSecret`). */
  actionLinks: boolean;
  perSecond: number;
}

/**
 * Builds the capabilities of one email sender. Lists, carousels, links, images, documents and
 * payment links are HTML; actions are buttons when links can be signed (text otherwise); a
 * WhatsApp Flow is text; `navigate` is dropped.
 *
 * @example
 * ```ts
 * emailCapabilities({ actionLinks: true, perSecond: 10 }).reach.cold; // 'free-form'
 * ```
 */
export function emailCapabilities(options: EmailCapabilityOptions): Capabilities {
  const native = { mode: 'native' } as const;
  const attachment = { maxBytes: ATTACHMENT_MAX_BYTES, caption: false };
  return defineCapabilities({
    reach: { cold: 'free-form', addressBy: ['userId', 'email'], identity: 'email' },
    window: null,
    // Opt-out is the List-Unsubscribe link, reported as an `opt-out` event, not a keyword.
    optOut: null,
    text: { maxLength: TEXT_SECTION_MAX_LENGTH, format: 'html' },
    components: {
      'list-item': native,
      'horizontal-list-item': native,
      actions: options.actionLinks ? native : { mode: 'fallback' },
      links: native,
      images: native,
      documents: native,
      payment: native,
      flow: { mode: 'fallback' },
      navigate: { mode: 'drop' },
    },
    media: {
      image: attachment,
      video: attachment,
      audio: attachment,
      document: attachment,
    },
    templates: { supported: false, categories: [] },
    // Accepted by the receiving server is all SMTP says; bounces arrive later as `failed`.
    receipts: ['sent', 'failed'],
    features: { reactions: false, typing: false, markRead: false, streaming: false, replyTo: true },
    rate: { perSecond: options.perSecond },
  });
}
