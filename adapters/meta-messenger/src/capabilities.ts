import { type Capabilities, defineCapabilities, type WindowTag } from '@threadline/core';
import { GENERIC_ELEMENTS_MAX, GENERIC_TITLE_MAX } from './render/cards';
import { BUTTON_TITLE_MAX, QUICK_REPLIES_MAX } from './render/choices';
import { MEDIA_BLOCK_MAX } from './render/media';
import { INSTAGRAM_TEXT_MAX, MESSENGER_TEXT_MAX, TEXT_MAX_PARTS } from './render/text';

/**
 * What Messenger and Instagram Direct can do, as the core reads it: warm-only reach, the 24-hour
 * standard messaging window with message tags outside it, the component limits the renderers in
 * `render/` enforce, media limits, and receipts by watermark. Instagram supports less than
 * Messenger (no button template, no file attachments, one tag), declared here per platform.
 */

/**
 * Free-form messages within 24 h of the person's last message.
 * Source: https://developers.facebook.com/docs/messenger-platform/policy/policy-overview#standard_messaging
 */
export const STANDARD_WINDOW_HOURS = 24;

/**
 * Send API calls per second per Page. Our default, not Meta's: Meta limits a Page by calls per
 * 24 hours (200 × the people it can message) and throttles bursts with code 613.
 * Source: https://developers.facebook.com/docs/messenger-platform/send-messages#rate-limiting (unconfirmed figure)
 */
export const DEFAULT_MESSAGES_PER_SECOND = 40;

/**
 * Message tags. `HUMAN_AGENT` lets a person answer for 7 days after the user's last message (with
 * the Human Agent permission; also on Instagram); the three update tags have no time limit but
 * may carry no promotional content.
 * Source: https://developers.facebook.com/docs/messenger-platform/send-messages/message-tags
 */
export const TAGS: Readonly<Record<string, WindowTag>> = {
  HUMAN_AGENT: {
    name: 'HUMAN_AGENT',
    hours: 168,
    use: 'a person answers within 7 days of the user’s last message (Human Agent permission)',
  },
  CONFIRMED_EVENT_UPDATE: {
    name: 'CONFIRMED_EVENT_UPDATE',
    use: 'a reminder or update about an event the user registered for',
  },
  POST_PURCHASE_UPDATE: {
    name: 'POST_PURCHASE_UPDATE',
    use: 'an update about a purchase the user made',
  },
  ACCOUNT_UPDATE: {
    name: 'ACCOUNT_UPDATE',
    use: 'a non-recurring change to the user’s account or application',
  },
};

/** The tags each platform defines. Source: https://developers.facebook.com/docs/messenger-platform/instagram/features/human-agent */
export const PLATFORM_TAGS = {
  messenger: ['HUMAN_AGENT', 'CONFIRMED_EVENT_UPDATE', 'POST_PURCHASE_UPDATE', 'ACCOUNT_UPDATE'],
  instagram: ['HUMAN_AGENT'],
} as const;

const MB = 1024 * 1024;

/**
 * Attachment size limits: 25 MB for every type on Messenger; Instagram takes images up to 8 MB
 * and video and audio up to 25 MB, and no files.
 * Sources: https://developers.facebook.com/docs/messenger-platform/reference/attachment-upload-api
 * https://developers.facebook.com/docs/messenger-platform/instagram/features/send-message
 */
export const MEDIA_LIMITS = {
  messenger: {
    image: { maxBytes: 25 * MB, caption: false },
    video: { maxBytes: 25 * MB, caption: false },
    audio: { maxBytes: 25 * MB, caption: false },
    document: { maxBytes: 25 * MB, caption: false },
  },
  instagram: {
    image: {
      maxBytes: 8 * MB,
      mimeTypes: ['image/png', 'image/jpeg', 'image/gif'],
      caption: false,
    },
    video: { maxBytes: 25 * MB, caption: false },
    audio: { maxBytes: 25 * MB, caption: false },
  },
} as const;

/** What capabilities depend on in the options. */
export interface CapabilityOptions {
  platform: 'messenger' | 'instagram';
  perSecond?: number;
}

/**
 * Builds the capabilities of one inbox. Components:
 * - `actions`: quick replies, up to 13 labels of ≤ 20 characters (both platforms);
 * - `horizontal-list-item`: a generic template of up to 10 cards, titles ≤ 80 (both);
 * - `payment`: a button template with one URL button, label ≤ 20 (Messenger only);
 * - `images`: one image attachment each, up to 10; `documents`: file attachments (Messenger only);
 * - `list-item`, `links`, `flow`: text (Messenger retired the list template; links preview in
 *   text); `navigate`: dropped.
 *
 * @example
 * ```ts
 * metaCapabilities({ platform: 'instagram' }).window?.tags?.map((t) => t.name); // ['HUMAN_AGENT']
 * ```
 */
export function metaCapabilities(options: CapabilityOptions): Capabilities {
  const messenger = options.platform === 'messenger';
  const media = MEDIA_LIMITS[options.platform];
  return defineCapabilities({
    reach: { cold: 'warm-only', addressBy: ['userId', 'conversationId'], identity: 'channel' },
    window: {
      hours: STANDARD_WINDOW_HOURS,
      outside: 'tag',
      tags: PLATFORM_TAGS[options.platform].map((name) => ({ ...(TAGS[name] as WindowTag) })),
    },
    optOut: null,
    text: {
      maxLength: messenger ? MESSENGER_TEXT_MAX : INSTAGRAM_TEXT_MAX,
      format: 'plain',
      maxParts: TEXT_MAX_PARTS,
    },
    components: {
      'list-item': { mode: 'fallback' },
      'horizontal-list-item': {
        mode: 'native',
        max: GENERIC_ELEMENTS_MAX,
        maxLabelLength: GENERIC_TITLE_MAX,
      },
      actions: { mode: 'native', max: QUICK_REPLIES_MAX, maxLabelLength: BUTTON_TITLE_MAX },
      links: { mode: 'fallback' },
      images: { mode: 'native', max: MEDIA_BLOCK_MAX },
      documents: messenger ? { mode: 'native', max: MEDIA_BLOCK_MAX } : { mode: 'fallback' },
      payment: messenger
        ? { mode: 'native', max: 1, maxLabelLength: BUTTON_TITLE_MAX }
        : { mode: 'fallback' },
      flow: { mode: 'fallback' },
      navigate: { mode: 'drop' },
    },
    media: Object.fromEntries(
      Object.entries(media).map(([kind, limits]) => [
        kind,
        { ...limits, ...('mimeTypes' in limits ? { mimeTypes: [...limits.mimeTypes] } : {}) },
      ]),
    ),
    templates: { supported: false, categories: [] },
    // Messenger reports delivery and read by watermark; Instagram reports only `messaging_seen`.
    receipts: messenger ? ['sent', 'delivered', 'read'] : ['sent', 'read'],
    features: { reactions: true, typing: true, markRead: true, streaming: false, replyTo: true },
    rate: { perSecond: options.perSecond ?? DEFAULT_MESSAGES_PER_SECOND },
  });
}
