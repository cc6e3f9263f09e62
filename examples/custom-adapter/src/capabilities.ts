import { COMPONENT_KINDS, defineCapabilities } from '@threadline/core';

/**
 * Relay's limits, modelled on the Telegram Bot API it imitates.
 * Source: https://core.telegram.org/bots/api#sendmessage (text 1-4096 characters after entity
 * parsing), https://core.telegram.org/bots/api#inlinekeyboardbutton (callback_data 1-64 bytes),
 * https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this (about 30 msg/s).
 */
export const RELAY_TEXT_MAX_LENGTH = 4096;
export const RELAY_BUTTON_DATA_MAX_BYTES = 64;
export const RELAY_MESSAGES_PER_SECOND = 30;
/** Keyboards this example renders: one button per row, kept short enough to read on a phone. */
export const RELAY_MAX_BUTTONS = 8;
export const RELAY_MAX_BUTTON_LABEL = 40;

const asText = Object.fromEntries(
  COMPONENT_KINDS.map((kind) => [kind, { mode: 'fallback' as const }]),
);

/** What a Relay bot can do: free-form to anyone who started the bot, buttons natively, the rest as text. */
export const relayCapabilities = defineCapabilities({
  reach: { cold: 'warm-only', addressBy: ['userId'], identity: 'channel' },
  window: null,
  optOut: null,
  text: { maxLength: RELAY_TEXT_MAX_LENGTH, format: 'markdown' },
  components: {
    ...(asText as Record<(typeof COMPONENT_KINDS)[number], { mode: 'fallback' }>),
    actions: { mode: 'native', max: RELAY_MAX_BUTTONS, maxLabelLength: RELAY_MAX_BUTTON_LABEL },
    navigate: { mode: 'drop' },
  },
  media: {},
  templates: { supported: false, categories: [] },
  receipts: [],
  features: { reactions: false, typing: false, markRead: false, streaming: false, replyTo: true },
  rate: { perSecond: RELAY_MESSAGES_PER_SECOND },
});
