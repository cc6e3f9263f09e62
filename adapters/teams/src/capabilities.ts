import { type Capabilities, defineCapabilities } from '@threadline/core';
import { CARD_ACTIONS_MAX, CARD_ITEMS_MAX } from './render/cards';

/**
 * What Teams can do, as the core reads it: warm-only reach through a stored conversation
 * reference, no session window, Adaptive Cards (schema 1.5) for components, and the Bot
 * Connector's per-conversation rate limits.
 */

/**
 * Characters in one text message. Teams refuses bot messages over about 28 KB of activity JSON;
 * 7,000 characters stay under it even when every character takes 4 bytes of UTF-8.
 * Source: https://learn.microsoft.com/microsoftteams/platform/bots/how-to/format-your-bot-messages
 */
export const TEXT_MAX_LENGTH = 7_000;

/**
 * Bot Connector limits per bot per conversation: 7 operations per second, 60 per 30 seconds, and
 * about 50 per second per app per tenant. The per-conversation 30-second window is the one a steady
 * sender meets first. Source: https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit
 */
export const PER_CONVERSATION_RATE = { messages: 60, perSeconds: 30 } as const;
/** Messages per second across the app (same source). */
export const APP_MESSAGES_PER_SECOND = 50;

/**
 * Builds the capabilities of one Teams bot. Components (Adaptive Cards 1.5):
 * - `actions`: Action.Submit or Action.Execute buttons, up to 6 (Teams' `maxActions`);
 * - `list-item`: one card of up to 10 containers; `horizontal-list-item`: a carousel of up to 10;
 * - `links`, `documents`, `payment`: Action.OpenUrl buttons (up to 6); `images`: an ImageSet;
 * - `flow` (WhatsApp Flows) falls back to text; `navigate` (web chat only) is dropped.
 *
 * @example
 * ```ts
 * teamsCapabilities({ streaming: true }).reach; // { cold: 'warm-only', warmBy: 'reference', … }
 * ```
 */
export function teamsCapabilities(options: { streaming: boolean }): Capabilities {
  const buttons = { mode: 'native', max: CARD_ACTIONS_MAX } as const;
  return defineCapabilities({
    reach: {
      cold: 'warm-only',
      warmBy: 'reference',
      addressBy: ['userId', 'conversationId'],
      identity: 'channel',
    },
    window: null,
    optOut: null,
    text: { maxLength: TEXT_MAX_LENGTH, format: 'markdown' },
    components: {
      'list-item': { mode: 'native', max: CARD_ITEMS_MAX },
      'horizontal-list-item': { mode: 'native', max: CARD_ITEMS_MAX },
      actions: buttons,
      links: buttons,
      images: { mode: 'native', max: CARD_ITEMS_MAX },
      documents: buttons,
      payment: { mode: 'native', max: 1 },
      flow: { mode: 'fallback' },
      navigate: { mode: 'drop' },
    },
    media: {
      image: { maxBytes: 4 * 1024 * 1024, caption: true },
      document: { maxBytes: 4 * 1024 * 1024, caption: true },
    },
    templates: { supported: false, categories: [] },
    receipts: [],
    features: {
      reactions: false,
      typing: true,
      markRead: false,
      streaming: options.streaming,
      replyTo: false,
    },
    rate: { perSecond: APP_MESSAGES_PER_SECOND, perRecipient: { ...PER_CONVERSATION_RATE } },
  });
}
