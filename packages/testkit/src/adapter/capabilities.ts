import { type Capabilities, CapabilitiesSchema, COMPONENT_KINDS } from '@threadline/core';

/**
 * A patch over a {@link Capabilities} object: every object field may be given in part; arrays and
 * `null` replace what they patch; `undefined` removes an optional field (`media: { video: undefined }`
 * makes video unsupported).
 */
export type CapabilitiesPatch = {
  [K in keyof Capabilities]?: Capabilities[K] extends readonly unknown[] | null
    ? Capabilities[K]
    : Capabilities[K] extends object
      ? PatchOf<Capabilities[K]>
      : Capabilities[K];
};

type PatchOf<T> = {
  [K in keyof T]?: T[K] extends readonly unknown[] | null | undefined
    ? T[K]
    : T[K] extends object
      ? PatchOf<T[K]>
      : T[K];
};

/** 100 MB: larger than any real provider allows, so media size never limits a test by accident. */
const GENEROUS_MEDIA_BYTES = 100 * 1024 * 1024;

const generousMedia = { maxBytes: GENEROUS_MEDIA_BYTES, caption: true };

/**
 * The test adapter's default capabilities: a generous free-form channel that can reach anyone at
 * any time, renders every `:::` component natively without limits, takes every media kind and
 * claims every feature. Use {@link deriveTestCapabilities} or {@link testCapabilityVariants} for
 * channels with rules.
 *
 * @example
 * ```ts
 * const adapter = createTestAdapter({ capabilities: testCapabilities });
 * ```
 */
export const testCapabilities: Capabilities = CapabilitiesSchema.parse({
  reach: {
    cold: 'free-form',
    addressBy: ['userId', 'phoneNumber', 'email', 'conversationId'],
    identity: 'channel',
  },
  window: null,
  optOut: null,
  // 4096 is Telegram's and WhatsApp's limit: large enough for ordinary replies, small enough that
  // a test of splitting does not need megabytes of text.
  text: { maxLength: 4096, format: 'markdown' },
  components: Object.fromEntries(COMPONENT_KINDS.map((kind) => [kind, { mode: 'native' }])),
  media: {
    image: generousMedia,
    video: generousMedia,
    audio: generousMedia,
    document: generousMedia,
    sticker: generousMedia,
  },
  templates: { supported: true, categories: ['MARKETING', 'UTILITY', 'AUTHENTICATION'] },
  receipts: ['sent', 'delivered', 'read', 'failed'],
  features: { reactions: true, typing: true, markRead: true, streaming: true, replyTo: true },
  rate: { perSecond: 1000 },
});

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function merge(base: unknown, patch: unknown): unknown {
  if (patch === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(patch)) return patch;
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) delete result[key];
    else result[key] = merge(base[key], value);
  }
  return result;
}

/**
 * Derives a capabilities variant: deep-merges `patch` over `base` (default
 * {@link testCapabilities}; `undefined` in the patch removes a field) and validates the result with `CapabilitiesSchema`, so a variant with
 * a mistake fails where it is declared.
 *
 * @example
 * ```ts
 * const sms = deriveTestCapabilities({
 *   text: { maxLength: 160, format: 'plain' },
 *   components: { actions: { mode: 'fallback' }, navigate: { mode: 'drop' } },
 * });
 * ```
 */
export function deriveTestCapabilities(
  patch: CapabilitiesPatch,
  base: Capabilities = testCapabilities,
): Capabilities {
  return CapabilitiesSchema.parse(merge(base, patch));
}

const fallbackEverywhere = Object.fromEntries(
  COMPONENT_KINDS.map((kind) => [kind, { mode: 'fallback' }]),
) as CapabilitiesPatch['components'];

/**
 * Ready-made variants of {@link testCapabilities} for the rules the core applies per channel.
 *
 * - `templateOnly`: WhatsApp-like. Cold recipients need a template; free-form only within 24 h of
 *   the user's last message; reply buttons ≤ 3 (labels ≤ 20), list rows ≤ 10 (labels ≤ 24);
 *   `navigate` dropped.
 * - `warmOnly`: Teams/Messenger-like. Only users who wrote first; a 24 h window with message tags
 *   outside it.
 * - `restrictive`: SMS-sized. 160 characters, `actions` native up to 3 (labels ≤ 20), every other
 *   component as text, `navigate` dropped; STOP/START/HELP keywords. Exercises every fallback.
 *
 * @example
 * ```ts
 * const whatsapp = createTestAdapter({ channel: 'whatsapp', capabilities: testCapabilityVariants.templateOnly });
 * ```
 */
export const testCapabilityVariants = {
  templateOnly: deriveTestCapabilities({
    reach: { cold: 'template-only', addressBy: ['userId', 'phoneNumber'], identity: 'phone' },
    window: { hours: 24, outside: 'template' },
    text: { format: 'whatsapp' },
    components: {
      ...fallbackEverywhere,
      actions: { mode: 'native', max: 3, maxLabelLength: 20 },
      'list-item': { mode: 'native', max: 10, maxLabelLength: 24 },
      'horizontal-list-item': { mode: 'native', max: 10 },
      flow: { mode: 'native' },
      navigate: { mode: 'drop' },
    },
    features: { streaming: false },
    rate: { perSecond: 80, perRecipient: { messages: 1, perSeconds: 6 } },
  }),
  warmOnly: deriveTestCapabilities({
    reach: { cold: 'warm-only', addressBy: ['userId', 'conversationId'], identity: 'channel' },
    window: { hours: 24, outside: 'tag' },
    templates: { supported: false, categories: [] },
    components: { navigate: { mode: 'drop' } },
    features: { streaming: false },
  }),
  restrictive: deriveTestCapabilities({
    reach: { cold: 'free-form', addressBy: ['userId', 'phoneNumber'], identity: 'phone' },
    optOut: { stop: ['STOP', 'UNSUBSCRIBE'], start: ['START'], help: ['HELP'] },
    text: { maxLength: 160, format: 'plain' },
    components: {
      ...fallbackEverywhere,
      actions: { mode: 'native', max: 3, maxLabelLength: 20 },
      navigate: { mode: 'drop' },
    },
    templates: { supported: false, categories: [] },
    features: { reactions: false, typing: false, markRead: false, streaming: false },
    rate: { perSecond: 1 },
  }),
} as const satisfies Record<string, Capabilities>;
