import {
  ClockOptionSchema,
  FetchOptionSchema,
  parseOptions,
  TEMPLATE_CATEGORIES,
  warnDeprecated,
  withEnvironmentFallbacks,
} from '@threadline/core';
import { z } from 'zod';
import { DEFAULT_MESSAGES_PER_SECOND, MAX_MESSAGES_PER_SECOND } from './capabilities';
import { INTERACTIVE_BODY_MAX, LIST_BUTTON_MAX } from './render/choices';

/**
 * The adapter's options: a zod schema with defaults, and environment fallbacks for the secrets so
 * a host can keep them out of code. Everything the Graph API needs is here; nothing is read later.
 */

/**
 * The Graph API version pinned by default. Meta's examples show v25.0/v26.0 (2026); pin one so a
 * version Meta retires later fails loudly in a test rather than silently changing payloads.
 * Source: https://developers.facebook.com/docs/graph-api/changelog/versions
 */
export const DEFAULT_API_VERSION = 'v25.0';

/** Meta's Graph API host. Tests and `@threadline/emulators` point `baseUrl` elsewhere. */
export const DEFAULT_BASE_URL = 'https://graph.facebook.com';

/** How long one Graph call may take before it is abandoned as a retryable `provider` failure. */
export const DEFAULT_TIMEOUT_MS = 15_000;

/** Environment variables read when the matching option is not given. */
export const ENV_FALLBACKS = {
  phoneNumberId: 'WHATSAPP_PHONE_NUMBER_ID',
  accessToken: 'WHATSAPP_ACCESS_TOKEN',
  appSecret: 'WHATSAPP_APP_SECRET',
  verifyToken: 'WHATSAPP_VERIFY_TOKEN',
  apiVersion: 'WHATSAPP_API_VERSION',
  baseUrl: 'WHATSAPP_BASE_URL',
} as const;

/**
 * A template the adapter is configured with, in core's one template shape
 * (`{ name, languageCode, category }`, the same as `channels.whatsapp.sendTemplate`'s `template`).
 */
export const TemplateOptionSchema = z
  .object({
    name: z.string().min(1),
    /** The language code the template was approved in, e.g. `en_US`. */
    languageCode: z.string().min(1).default('en_US'),
    category: z.enum(TEMPLATE_CATEGORIES).optional(),
  })
  .strict();

/** The template options that take a template, for the 0.x `language` alias. */
const TEMPLATE_OPTIONS = ['defaultTemplate', 'reEngagementTemplate', 'carouselTemplate'] as const;

/**
 * 0.x named the language `language` in these options only.
 * @deprecated Use `languageCode`. Removed in the next minor.
 */
export const DEPRECATED_TEMPLATE_LANGUAGE = {
  code: 'THREADLINE_DEP_WHATSAPP_TEMPLATE_LANGUAGE',
  message:
    "createWhatsAppCloudAdapter: a template option's `language` is deprecated: name it `languageCode` (as every Threadline template does)",
};

/** The card fields a carousel template's card body parameters are filled from, in order. */
export const CARD_FIELDS = ['title', 'subtitle', 'summary'] as const;

/** An approved carousel template (media card carousel) for `horizontal-list-item` blocks. */
export const CarouselTemplateOptionSchema = TemplateOptionSchema.extend({
  /** Which card field fills each `{{n}}` of the card body, in order. Defaults to the title. */
  bodyParameters: z.array(z.enum(CARD_FIELDS)).min(1).default(['title']),
  /** The cards have a quick-reply button at index 0; its payload becomes `item-<n>`. */
  quickReplyButton: z.boolean().default(false),
}).strict();

/** The options schema of {@link createWhatsAppCloudAdapter}. */
export const WhatsAppCloudOptionsSchema = z
  .object({
    /** Adapter id (the webhook path segment). Defaults to `whatsapp-<phoneNumberId>`. */
    id: z.string().min(1).optional(),
    phoneNumberId: z.string().regex(/^\d+$/, 'expected the numeric phone-number id'),
    accessToken: z.string().min(1),
    /** Signs webhooks (`X-Hub-Signature-256`). */
    appSecret: z.string().min(1),
    /** The token you typed into the Meta app dashboard for the `hub.challenge` handshake. */
    verifyToken: z.string().min(1),
    apiVersion: z
      .string()
      .regex(/^v\d+\.\d+$/, 'expected a version like v25.0')
      .default(DEFAULT_API_VERSION),
    baseUrl: z
      .url()
      .default(DEFAULT_BASE_URL)
      .transform((url) => url.replace(/\/+$/, '')),
    /** The template hosts use by default (cold outreach); also re-engages if no other is set. */
    defaultTemplate: TemplateOptionSchema.optional(),
    /** Sent by the core when a free-form message meets a closed 24-hour window. */
    reEngagementTemplate: TemplateOptionSchema.optional(),
    /** Renders `horizontal-list-item` as this carousel template; without it they become lists. */
    carouselTemplate: CarouselTemplateOptionSchema.optional(),
    rate: z
      .object({
        /** Messages per second for this number: 80 by default, up to 1,000 once Meta upgrades it. */
        perSecond: z
          .number()
          .positive()
          .max(MAX_MESSAGES_PER_SECOND)
          .default(DEFAULT_MESSAGES_PER_SECOND),
      })
      .strict()
      .prefault({}),
    timeoutMs: z.number().int().positive().default(DEFAULT_TIMEOUT_MS),
    /** Ask WhatsApp to show a preview of the first link in text messages. */
    previewLinks: z.boolean().default(true),
    /** Words the adapter adds to interactive messages; translate them for your users. */
    interactive: z
      .object({
        /** The button that opens a list (at most 20 characters). */
        listButton: z.string().min(1).max(LIST_BUTTON_MAX).default('Options'),
        /** Body of buttons and lists when the agent wrote no text right before the block. */
        body: z.string().min(1).max(INTERACTIVE_BODY_MAX).default('Please choose:'),
      })
      .strict()
      .prefault({}),
    /**
     * Makes every provider call with this `fetch` (a proxy's dispatcher, an edge runtime's fetch).
     * Without it, sends go over `node:http` with keep-alive and other calls over the global `fetch`
     * (see `callWithTimeout`).
     */
    fetch: FetchOptionSchema.optional(),
    /** Time for inbound events without a usable timestamp and HTTP-date `Retry-After`s. */
    clock: ClockOptionSchema.optional(),
  })
  .strict();

type FromEnvironment = keyof typeof ENV_FALLBACKS;
/** A template option as written, with the deprecated `language` alias still accepted. */
type WithLegacyLanguage<T> = T extends object
  ? Omit<T, 'languageCode'> & {
      languageCode?: string;
      /** @deprecated Use `languageCode`. */
      language?: string;
    }
  : T;
type SchemaInput = {
  [K in keyof z.input<
    typeof WhatsAppCloudOptionsSchema
  >]: K extends (typeof TEMPLATE_OPTIONS)[number]
    ? WithLegacyLanguage<z.input<typeof WhatsAppCloudOptionsSchema>[K]>
    : z.input<typeof WhatsAppCloudOptionsSchema>[K];
};

/**
 * Options of {@link createWhatsAppCloudAdapter}, as the host writes them. The ids and secrets
 * may be left out when their `WHATSAPP_*` environment variables are set.
 */
export type WhatsAppCloudAdapterOptions = Omit<SchemaInput, FromEnvironment> &
  Partial<Pick<SchemaInput, FromEnvironment>>;
/** Options after defaults and environment fallbacks. */
export type ResolvedWhatsAppCloudOptions = z.output<typeof WhatsAppCloudOptionsSchema>;
/** A configured template. */
export type TemplateOption = z.output<typeof TemplateOptionSchema>;
/** A configured carousel template. */
export type CarouselTemplateOption = z.output<typeof CarouselTemplateOptionSchema>;

/**
 * Validates the options, filling missing secrets from the environment (`WHATSAPP_ACCESS_TOKEN`,
 * …). Throws a `ConfigError` naming every bad option.
 *
 * @example
 * ```ts
 * const options = resolveOptions({ phoneNumberId: '106540352242922' }); // the rest from env
 * ```
 */
export function resolveOptions(input: WhatsAppCloudAdapterOptions): ResolvedWhatsAppCloudOptions {
  const given = withEnvironmentFallbacks(input, ENV_FALLBACKS);
  for (const key of TEMPLATE_OPTIONS) {
    const template = given[key];
    if (typeof template !== 'object' || template === null || !('language' in template)) continue;
    warnDeprecated(DEPRECATED_TEMPLATE_LANGUAGE);
    const { language, ...rest } = template as Record<string, unknown>;
    given[key] = { languageCode: language, ...rest };
  }
  return parseOptions(WhatsAppCloudOptionsSchema, given, 'createWhatsAppCloudAdapter');
}
