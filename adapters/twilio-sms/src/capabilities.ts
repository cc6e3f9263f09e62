import {
  type Capabilities,
  COMPONENT_KINDS,
  defineCapabilities,
  type OptOutKeywords,
} from '@threadline/core';
import { SMS_MAX_BODY, SMS_MAX_PARTS } from './segments';

/**
 * What Twilio SMS can do, as the core reads it: free-form cold reach by phone number at any hour
 * (no session window), carrier keywords the core enforces, plain text of at most 1,600
 * characters per message, every `:::` component as text, MMS media, per-sender pacing.
 */

/**
 * A US long code sends about one message segment per second; toll-free and short codes more.
 * Source: https://help.twilio.com/articles/115002943027 (Understanding Twilio rate limits and
 * message queues).
 */
export const DEFAULT_MESSAGES_PER_SECOND = 1;

/**
 * Twilio's default keywords on long codes and toll-free numbers, matched as the whole message,
 * case-insensitively. REVOKE and OPTOUT were added to the opt-out list in 2025.
 * Source: https://help.twilio.com/articles/223134027
 */
export const OPT_OUT_KEYWORDS = {
  stop: ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT'],
  start: ['START', 'YES', 'UNSTOP'],
  help: ['HELP', 'INFO'],
} as const;

/**
 * MMS: 5 MB per message in all, up to 10 media. Source:
 * https://www.twilio.com/docs/messaging/guides/accepted-mime-types
 */
export const MMS_MAX_BYTES = 5 * 1024 * 1024;
export const MMS_MAX_MEDIA = 10;

/** What capabilities depend on in the options. */
export interface CapabilityOptions {
  perSecond?: number;
  keywords?: OptOutKeywords;
}

/**
 * Builds the capabilities of one Twilio SMS sender. Every component is shown as text (actions as
 * a numbered list whose "1", "2" replies come back with the action's payload); `navigate` is
 * dropped.
 *
 * @example
 * ```ts
 * twilioSmsCapabilities({ perSecond: 1 }).window; // null: SMS has no session window
 * ```
 */
export function twilioSmsCapabilities(options: CapabilityOptions = {}): Capabilities {
  const components = Object.fromEntries(
    COMPONENT_KINDS.map((kind) => [kind, { mode: kind === 'navigate' ? 'drop' : 'fallback' }]),
  ) as Capabilities['components'];
  const keywords = options.keywords ?? OPT_OUT_KEYWORDS;
  const media = { maxBytes: MMS_MAX_BYTES, caption: true };
  return defineCapabilities({
    reach: { cold: 'free-form', addressBy: ['userId', 'phoneNumber'], identity: 'phone' },
    window: null,
    optOut: { stop: [...keywords.stop], start: [...keywords.start], help: [...keywords.help] },
    text: { maxLength: SMS_MAX_BODY, format: 'plain', maxParts: SMS_MAX_PARTS },
    components,
    media: { image: { ...media }, video: { ...media }, audio: { ...media } },
    templates: { supported: false, categories: [] },
    receipts: ['sent', 'delivered', 'failed'],
    features: {
      reactions: false,
      typing: false,
      markRead: false,
      streaming: false,
      replyTo: false,
    },
    rate: { perSecond: options.perSecond ?? DEFAULT_MESSAGES_PER_SECOND },
  });
}
