import { z } from 'zod';
import { COMPONENT_KINDS } from '../components/parts';

/**
 * What a channel can do, declared once per adapter. The core takes its policy from here (who can be
 * reached cold, the session window, opt-out keywords, pacing) and the adapters' renderers take
 * their limits from here; the docs' capability matrix is generated from it. Every field is
 * documented with `.describe()` so the schema documents itself.
 */

/** How a recipient can be addressed on a channel. */
export const ADDRESS_KINDS = ['userId', 'phoneNumber', 'email', 'conversationId'] as const;
export type AddressKind = (typeof ADDRESS_KINDS)[number];

/** Delivery states a channel can report back through receipts. */
export const RECEIPT_KINDS = ['sent', 'delivered', 'read', 'failed'] as const;

/** Kinds of media a message can carry. */
export const MEDIA_KINDS = ['image', 'video', 'audio', 'document', 'sticker'] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

export const ReachSchema = z
  .object({
    cold: z
      .enum(['free-form', 'template-only', 'warm-only'])
      .describe(
        'Reaching someone who never wrote: `free-form` (SMS, email), `template-only` (WhatsApp: an approved template), `warm-only` (Teams, Messenger, Instagram: only users with a prior conversation).',
      ),
    addressBy: z
      .array(z.enum(ADDRESS_KINDS))
      .min(1)
      .describe(
        'How `to` may address a recipient on this channel, e.g. `["userId","phoneNumber"]`.',
      ),
    identity: z
      .enum(['phone', 'email', 'channel'])
      .describe(
        'What an inbound address is: `phone` (E.164; the same number is the same person on every phone channel), `email` (the same address is the same person), or `channel` (an id that only means something on this channel: a PSID, a Teams user id, a web chat visitor).',
      ),
    warmBy: z
      .enum(['inbound', 'reference'])
      .optional()
      .describe(
        'For `warm-only`: what makes a user warm. `inbound` (default): they wrote before or the adapter stored a reference. `reference`: only a reference the adapter stored and has not withdrawn (Teams: an install or a message stores it; an uninstall, or a send refused as `unreachable`, withdraws it by storing `null`).',
      ),
  })
  .describe('Who can be reached and how they are addressed.');

export const WindowTagSchema = z
  .object({
    name: z.string().min(1).describe('The tag as the provider spells it, e.g. `HUMAN_AGENT`.'),
    hours: z
      .number()
      .positive()
      .optional()
      .describe(
        "Hours after the user's last inbound message during which the tag may be used (`HUMAN_AGENT`: 168); absent when it has no time limit.",
      ),
    use: z.string().min(1).describe('What the provider allows the tag for.'),
  })
  .describe('A message tag that lets a message out after the window closed.');

export const WindowSchema = z
  .object({
    hours: z
      .number()
      .positive()
      .describe(
        "Hours after the user's last inbound message during which free-form messages are allowed.",
      ),
    outside: z
      .enum(['template', 'tag', 'nothing'])
      .describe(
        'What may be sent once the window is closed: an approved `template` (WhatsApp), a message `tag` (Messenger, Instagram), or `nothing`.',
      ),
    tags: z
      .array(WindowTagSchema)
      .optional()
      .describe(
        'With `outside: "tag"`: every tag the provider defines for the channel. An adapter lists the ones its app may use in `windowTags`; the core sends with the first that still applies.',
      ),
  })
  .describe('A session window. `null` when the channel has none (SMS, email, web chat).');

export const OptOutSchema = z
  .object({
    stop: z
      .array(z.string().min(1))
      .describe(
        'Inbound keywords that opt the sender out (matched case-insensitively, whole message).',
      ),
    start: z.array(z.string().min(1)).describe('Inbound keywords that opt the sender back in.'),
    help: z
      .array(z.string().min(1))
      .describe('Inbound keywords that ask for help (the carrier may answer).'),
  })
  .describe('Carrier-style opt-out keywords. `null` when the channel has no keyword opt-out.');

export const TextSchema = z
  .object({
    maxLength: z
      .number()
      .int()
      .positive()
      .describe(
        'Characters in one message; longer text is split at word boundaries into several messages.',
      ),
    format: z
      .enum(['plain', 'markdown', 'whatsapp', 'html'])
      .describe(
        "How the channel shows emphasis: `plain`, `markdown`, WhatsApp's `*bold* _italic_`, or `html` (email).",
      ),
    maxParts: z
      .number()
      .int()
      .positive()
      .optional()
      .describe(
        'At most this many messages for one long text; beyond it the send is refused rather than cut.',
      ),
  })
  .describe('Text limits and formatting.');

export const ComponentSupportSchema = z
  .object({
    mode: z
      .enum(['native', 'fallback', 'drop'])
      .describe(
        "`native`: rendered as the platform's own UI within `max`; `fallback`: shown as text; `drop`: not shown at all (e.g. `navigate` off web chat).",
      ),
    max: z
      .number()
      .int()
      .positive()
      .optional()
      .describe(
        'Most items (buttons, rows, cards) rendered natively; past it the component falls back to text.',
      ),
    maxLabelLength: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Longest label (button title, row title) rendered natively.'),
  })
  .describe('How one `:::` component kind is shown on this channel.');

const componentShape = Object.fromEntries(
  COMPONENT_KINDS.map((kind) => [kind, ComponentSupportSchema]),
) as Record<(typeof COMPONENT_KINDS)[number], typeof ComponentSupportSchema>;

export const ComponentsSchema = z
  .object(componentShape)
  .describe('Support for each `:::` component kind.');

export const MediaKindSchema = z
  .object({
    maxBytes: z
      .number()
      .int()
      .positive()
      .describe('Largest file the provider accepts for this kind.'),
    mimeTypes: z
      .array(z.string())
      .optional()
      .describe('Accepted MIME types; absent means any the provider takes.'),
    caption: z.boolean().describe('Whether a caption can travel with it.'),
  })
  .describe('Limits for one kind of media.');

export const MediaSchema = z
  .object(
    Object.fromEntries(MEDIA_KINDS.map((kind) => [kind, MediaKindSchema.optional()])) as Record<
      MediaKind,
      z.ZodOptional<typeof MediaKindSchema>
    >,
  )
  .describe(
    'Media kinds the channel sends, each with its limits; an absent kind is not supported.',
  );

export const TemplatesSchema = z
  .object({
    supported: z.boolean().describe('Whether the channel has provider-approved templates.'),
    categories: z
      .array(z.string())
      .describe('Template categories, e.g. `MARKETING`, `UTILITY`, `AUTHENTICATION`.'),
  })
  .describe('Provider templates (WhatsApp message templates).');

export const FeaturesSchema = z
  .object({
    reactions: z.boolean().describe('Can react to a message with an emoji.'),
    typing: z.boolean().describe('Can show a typing indicator.'),
    markRead: z.boolean().describe('Can mark inbound messages as read.'),
    streaming: z
      .boolean()
      .describe(
        'Can show text as it is generated (web chat); others receive the finished text once.',
      ),
    replyTo: z.boolean().describe('Can quote or reply to a specific earlier message.'),
  })
  .describe('Interaction features beyond plain messages.');

export const RateSchema = z
  .object({
    perSecond: z
      .number()
      .positive()
      .describe(
        'Messages per second one sender may send; the dispatcher and bulk sends pace to it.',
      ),
    perRecipient: z
      .object({
        messages: z
          .number()
          .int()
          .positive()
          .describe('Messages allowed to one recipient per period.'),
        perSeconds: z.number().positive().describe('The period, in seconds.'),
      })
      .optional()
      .describe(
        'Most messages to one recipient in a period (WhatsApp: about 1 per 6 s), past which the provider throttles the pair.',
      ),
  })
  .describe('Rate limits the provider enforces.');

/**
 * The capability schema. Parse an adapter's capabilities with it (the testkit does) to know they
 * are complete.
 *
 * @example
 * ```ts
 * const capabilities = CapabilitiesSchema.parse({ reach: { cold: 'free-form', addressBy: ['userId', 'phoneNumber'], identity: 'phone' }, … });
 * ```
 */
export const CapabilitiesSchema = z.object({
  reach: ReachSchema,
  window: WindowSchema.nullable(),
  optOut: OptOutSchema.nullable(),
  text: TextSchema,
  components: ComponentsSchema,
  media: MediaSchema,
  templates: TemplatesSchema,
  receipts: z.array(z.enum(RECEIPT_KINDS)).describe('Delivery states the channel reports back.'),
  features: FeaturesSchema,
  rate: RateSchema,
});

/** What a channel can do. See {@link CapabilitiesSchema} for every field. */
export type Capabilities = z.infer<typeof CapabilitiesSchema>;
export type ComponentSupport = z.infer<typeof ComponentSupportSchema>;
export type MediaLimits = z.infer<typeof MediaKindSchema>;
export type SessionWindow = z.infer<typeof WindowSchema>;
export type WindowTag = z.infer<typeof WindowTagSchema>;
export type OptOutKeywords = z.infer<typeof OptOutSchema>;
export type RateLimits = z.infer<typeof RateSchema>;
