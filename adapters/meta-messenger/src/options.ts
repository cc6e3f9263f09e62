import { type Clock, parseOptions } from '@threadline/core';
import { z } from 'zod';
import { DEFAULT_MESSAGES_PER_SECOND, PLATFORM_TAGS } from './capabilities';

/**
 * The adapter's options: a zod schema with defaults, validated once at construction. One adapter
 * serves one inbox (a Facebook Page, or the Instagram professional account linked to a Page); a
 * host with both creates two.
 */

/**
 * The Graph API version pinned by default (the one Meta's Messenger examples show in 2026); pin
 * one so a version Meta retires later fails loudly in a test rather than changing payloads.
 * Source: https://developers.facebook.com/docs/graph-api/changelog/versions
 */
export const DEFAULT_API_VERSION = 'v25.0';

/** Meta's Graph API host. Tests and `@threadline/emulators` point `baseUrl` elsewhere. */
export const DEFAULT_BASE_URL = 'https://graph.facebook.com';

/** How long one Send API call may take before it is abandoned as a retryable `provider` failure. */
export const DEFAULT_TIMEOUT_MS = 15_000;

/** The two Meta inboxes the Send API serves. */
export const PLATFORMS = ['messenger', 'instagram'] as const;
export type MetaPlatform = (typeof PLATFORMS)[number];

/** Every message tag Meta defines for Messenger (Instagram allows only `HUMAN_AGENT`). */
export const MESSAGE_TAGS = [
  'HUMAN_AGENT',
  'CONFIRMED_EVENT_UPDATE',
  'POST_PURCHASE_UPDATE',
  'ACCOUNT_UPDATE',
] as const;
export type MessageTag = (typeof MESSAGE_TAGS)[number];

const numericId = (what: string) => z.string().regex(/^\d+$/, `expected the numeric ${what}`);

const fetchSchema = z.custom<typeof fetch>((value) => typeof value === 'function', {
  message: 'expected a fetch function',
});
const clockSchema = z.custom<Clock>(
  (value) =>
    typeof value === 'object' && value !== null && typeof (value as Clock).now === 'function',
  { message: 'expected a clock with a now() method' },
);

/** The options schema of {@link createMetaMessengerAdapter}. */
export const MetaMessengerOptionsSchema = z
  .object({
    /** Adapter id (the webhook path segment). Defaults to `messenger-<pageId>` / `instagram-<instagramAccountId>`. */
    id: z.string().min(1).optional(),
    /** `messenger` (webhook `object: "page"`) or `instagram` (`object: "instagram"`). */
    platform: z.enum(PLATFORMS).default('messenger'),
    /** The Facebook Page: Messenger's inbox, and the Page an Instagram account sends through. */
    pageId: numericId('Page id'),
    /** The Instagram professional account id (`entry.id` of its webhooks); required for `instagram`. */
    instagramAccountId: numericId('Instagram account id').optional(),
    /** A Page access token with `pages_messaging` (and `instagram_manage_messages` for Instagram). */
    pageAccessToken: z.string().min(1),
    /** Signs webhooks (`X-Hub-Signature-256`). */
    appSecret: z.string().min(1),
    /** The token you typed into the Meta app dashboard for the `hub.challenge` handshake. */
    verifyToken: z.string().min(1),
    /**
     * Your app's id. Echoes carry the `app_id` that sent a message: with it, echoes of this
     * app's own sends are recognised at once (even before the send's answer is recorded).
     */
    appId: numericId('app id').optional(),
    /**
     * Message tags this app may use outside the 24-hour window, in order of preference.
     * `HUMAN_AGENT` needs Meta's Human Agent permission; Instagram allows only `HUMAN_AGENT`.
     */
    messageTags: z.array(z.enum(MESSAGE_TAGS)).default([]),
    apiVersion: z
      .string()
      .regex(/^v\d+\.\d+$/, 'expected a version like v25.0')
      .default(DEFAULT_API_VERSION),
    baseUrl: z
      .url()
      .default(DEFAULT_BASE_URL)
      .transform((url) => url.replace(/\/+$/, '')),
    rate: z
      .object({ perSecond: z.number().positive().default(DEFAULT_MESSAGES_PER_SECOND) })
      .strict()
      .prefault({}),
    timeoutMs: z.number().int().positive().default(DEFAULT_TIMEOUT_MS),
    /**
     * Makes every provider call with this `fetch` (a proxy's dispatcher, an edge runtime's fetch).
     * Without it, sends go over `node:http` with keep-alive and other calls over the global `fetch`
     * (see `callWithTimeout`).
     */
    fetch: fetchSchema.optional(),
    /** Time for `Retry-After` dates and events without a timestamp. */
    clock: clockSchema.optional(),
  })
  .strict()
  .superRefine((options, context) => {
    if (options.platform === 'instagram' && options.instagramAccountId === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['instagramAccountId'],
        message: 'required when platform is instagram',
      });
    }
    const allowed: readonly string[] = PLATFORM_TAGS[options.platform];
    options.messageTags.forEach((tag, index) => {
      if (!allowed.includes(tag)) {
        context.addIssue({
          code: 'custom',
          path: ['messageTags', index],
          message: `${tag} is not a ${options.platform} message tag (allowed: ${allowed.join(', ')})`,
        });
      }
    });
  });

/** Options of {@link createMetaMessengerAdapter}, as the host writes them. */
export type MetaMessengerAdapterOptions = z.input<typeof MetaMessengerOptionsSchema>;
/** Options after defaults. */
export type ResolvedMetaMessengerOptions = z.output<typeof MetaMessengerOptionsSchema>;

/**
 * Validates the options; throws a `ConfigError` naming every bad option.
 *
 * @example
 * ```ts
 * resolveOptions({ pageId: '1234', pageAccessToken: 't', appSecret: 's', verifyToken: 'v' });
 * ```
 */
export function resolveOptions(input: MetaMessengerAdapterOptions): ResolvedMetaMessengerOptions {
  return parseOptions(MetaMessengerOptionsSchema, input, 'createMetaMessengerAdapter');
}
