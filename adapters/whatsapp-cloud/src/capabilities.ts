import { type Capabilities, defineCapabilities } from '@threadline/core';
import { CAROUSEL_CARDS_MAX } from './render/carousel';
import { LIST_ROW_TITLE_MAX, LIST_ROWS_MAX } from './render/choices';
import { CTA_DISPLAY_TEXT_MAX } from './render/cta';
import { FLOW_CTA_MAX } from './render/flow';
import { MEDIA_BLOCK_MAX } from './render/media';
import { TEXT_MAX_LENGTH, TEXT_MAX_PARTS } from './render/text';

/**
 * What WhatsApp Cloud can do, as the core reads it: the 24-hour window, template-only cold reach,
 * the component limits the renderers in `render/` enforce, media limits and throughput. Component
 * limits are imported from the renderer that enforces them, so the two cannot disagree.
 */

/**
 * Messages per second per phone number by default.
 * Source: https://developers.facebook.com/documentation/business-messaging/whatsapp/throughput
 */
export const DEFAULT_MESSAGES_PER_SECOND = 80;
/**
 * Messages per second once Meta upgrades the number.
 * Source: https://developers.facebook.com/documentation/business-messaging/whatsapp/throughput
 */
export const MAX_MESSAGES_PER_SECOND = 1_000;

/**
 * About one message every 6 s to the same user before Meta answers 131056 (short bursts are
 * tolerated). Source: https://learn.turn.io/l/en/article/ik2v3vgiif-why-am-i-seeing-error-code-131056
 */
export const PAIR_RATE_LIMIT = { messages: 1, perSeconds: 6 } as const;

/**
 * Free-form messages only within 24 h of the user's last message; templates outside it.
 * Source: https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/send-messages
 */
export const CUSTOMER_SERVICE_WINDOW_HOURS = 24;

const MB = 1024 * 1024;

/**
 * Media size and type limits. Source: https://developers.facebook.com/documentation/business-messaging/whatsapp/business-phone-numbers/media
 * (as quoted by https://docs.aws.amazon.com/social-messaging/latest/userguide/supported-media-types.html).
 */
export const MEDIA_LIMITS = {
  image: { maxBytes: 5 * MB, mimeTypes: ['image/jpeg', 'image/png'], caption: true },
  video: { maxBytes: 16 * MB, mimeTypes: ['video/mp4', 'video/3gpp'], caption: true },
  audio: {
    maxBytes: 16 * MB,
    mimeTypes: ['audio/aac', 'audio/amr', 'audio/mpeg', 'audio/mp4', 'audio/ogg'],
    caption: false,
  },
  document: { maxBytes: 100 * MB, caption: true },
  // 500 KB is the animated-sticker limit; static stickers are capped at 100 KB by Meta.
  sticker: { maxBytes: 500 * 1024, mimeTypes: ['image/webp'], caption: false },
} as const satisfies Capabilities['media'];

/** What capabilities depend on in the options. */
export interface CapabilityOptions {
  /** Messages per second for this number. */
  perSecond?: number;
  /** Whether a carousel template is configured (then `horizontal-list-item` is native). */
  carousel?: boolean;
}

/**
 * Builds the capabilities of one WhatsApp Cloud number. Components:
 * - `actions`: native up to 10 labels of ≤ 24 characters (reply buttons for ≤ 3 labels of ≤ 20,
 *   an interactive list otherwise), text past that;
 * - `list-item`: an interactive list of up to 10 rows with titles ≤ 24;
 * - `horizontal-list-item`: a carousel template when one is configured, else a list (`fallback`);
 * - `images`, `documents`: one media message per file, up to 10;
 * - `payment`: a CTA URL button (label ≤ 20); `flow`: a Flow message (button ≤ 20);
 * - `links`: text with a link preview; `navigate`: dropped.
 *
 * @example
 * ```ts
 * whatsAppCapabilities({ perSecond: 80 }).window; // { hours: 24, outside: 'template' }
 * ```
 */
export function whatsAppCapabilities(options: CapabilityOptions = {}): Capabilities {
  const list = { mode: 'native', max: LIST_ROWS_MAX, maxLabelLength: LIST_ROW_TITLE_MAX } as const;
  return defineCapabilities({
    reach: { cold: 'template-only', addressBy: ['userId', 'phoneNumber'], identity: 'phone' },
    window: { hours: CUSTOMER_SERVICE_WINDOW_HOURS, outside: 'template' },
    // WhatsApp has no carrier keywords; users block the business instead (nothing is reported).
    optOut: null,
    text: { maxLength: TEXT_MAX_LENGTH, format: 'whatsapp', maxParts: TEXT_MAX_PARTS },
    components: {
      'list-item': list,
      'horizontal-list-item': options.carousel
        ? { mode: 'native', max: CAROUSEL_CARDS_MAX }
        : { mode: 'fallback' },
      actions: list,
      links: { mode: 'fallback' },
      images: { mode: 'native', max: MEDIA_BLOCK_MAX },
      documents: { mode: 'native', max: MEDIA_BLOCK_MAX },
      payment: { mode: 'native', max: 1, maxLabelLength: CTA_DISPLAY_TEXT_MAX },
      flow: { mode: 'native', max: 1, maxLabelLength: FLOW_CTA_MAX },
      navigate: { mode: 'drop' },
    },
    media: {
      image: { ...MEDIA_LIMITS.image, mimeTypes: [...MEDIA_LIMITS.image.mimeTypes] },
      video: { ...MEDIA_LIMITS.video, mimeTypes: [...MEDIA_LIMITS.video.mimeTypes] },
      audio: { ...MEDIA_LIMITS.audio, mimeTypes: [...MEDIA_LIMITS.audio.mimeTypes] },
      document: { ...MEDIA_LIMITS.document },
      sticker: { ...MEDIA_LIMITS.sticker, mimeTypes: [...MEDIA_LIMITS.sticker.mimeTypes] },
    },
    templates: { supported: true, categories: ['MARKETING', 'UTILITY', 'AUTHENTICATION'] },
    receipts: ['sent', 'delivered', 'read', 'failed'],
    features: { reactions: true, typing: true, markRead: true, streaming: false, replyTo: true },
    rate: {
      perSecond: options.perSecond ?? DEFAULT_MESSAGES_PER_SECOND,
      perRecipient: { ...PAIR_RATE_LIMIT },
    },
  });
}
