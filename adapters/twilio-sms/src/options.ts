import {
  ClockOptionSchema,
  FetchOptionSchema,
  type OptOutKeywords,
  parseOptions,
  withEnvironmentFallbacks,
} from '@threadline/core';
import { z } from 'zod';
import { DEFAULT_MESSAGES_PER_SECOND, OPT_OUT_KEYWORDS } from './capabilities';

/**
 * The adapter's options: a zod schema with defaults, and environment fallbacks for the secrets so
 * a host can keep them out of code. Everything the Twilio client needs is here; nothing is read
 * later.
 */

/** How long one REST call may take before it is abandoned as a retryable `provider` failure. */
export const DEFAULT_TIMEOUT_MS = 15_000;

/**
 * Countries whose carriers take MMS from Twilio numbers; elsewhere media goes as a link.
 * Source: https://help.twilio.com/articles/223133707 (MMS is supported in the US and Canada).
 */
export const DEFAULT_MMS_COUNTRIES = ['US', 'CA'] as const;

/** Environment variables read when the matching option is not given. */
export const ENV_FALLBACKS = {
  accountSid: 'TWILIO_ACCOUNT_SID',
  authToken: 'TWILIO_AUTH_TOKEN',
  messagingServiceSid: 'TWILIO_MESSAGING_SERVICE_SID',
  baseUrl: 'TWILIO_BASE_URL',
} as const;

/**
 * A sender: an E.164 number, a short code (5–6 digits) or an alphanumeric sender id (1–11
 * letters, digits and spaces with at least one letter; it cannot receive replies).
 * Source: https://help.twilio.com/articles/223133767
 */
const SENDER_PATTERN = /^(\+[1-9]\d{6,14}|\d{5,6}|(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11})$/;

const keywordList = z.array(z.string().trim().min(1).regex(/^\S+$/, 'one word per keyword'));

/** The options schema of {@link createTwilioSmsAdapter}. */
export const TwilioSmsOptionsSchema = z
  .object({
    /** Adapter id (the webhook path segment). Defaults to `sms-<first sender or service sid>`. */
    id: z.string().min(1).optional(),
    accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'expected an account SID (AC + 32 hex)'),
    /** Checks `X-Twilio-Signature`; also authenticates REST calls unless `apiKey` is given. */
    authToken: z.string().min(1),
    /** An API key (SK…) and its secret for REST calls, instead of the auth token. */
    apiKey: z
      .object({
        sid: z.string().regex(/^SK[0-9a-fA-F]{32}$/, 'expected an API key SID (SK + 32 hex)'),
        secret: z.string().min(1),
      })
      .strict()
      .optional(),
    /** One or more senders; several are spread over recipients, each recipient always the same one. */
    from: z
      .union([z.string(), z.array(z.string()).min(1)])
      .transform((value) => (Array.isArray(value) ? value : [value]))
      .pipe(
        z.array(
          z.string().regex(SENDER_PATTERN, 'expected E.164, a short code or an alphanumeric id'),
        ),
      )
      .optional(),
    /** A Messaging Service (MG…) that picks the sender itself; used when `from` is not given. */
    messagingServiceSid: z
      .string()
      .regex(/^MG[0-9a-fA-F]{32}$/, 'expected a Messaging Service SID (MG + 32 hex)')
      .optional(),
    /**
     * The public URL Twilio calls for this adapter (`https://example.com/webhooks/sms`), when the
     * process sees another one behind a proxy or tunnel. Signatures are checked against it, and
     * status callbacks are requested to it.
     */
    webhookUrl: z.url().optional(),
    /** Ask Twilio for status callbacks (needs `webhookUrl`). On when `webhookUrl` is set. */
    statusCallbacks: z.boolean().optional(),
    /** Twilio region (`au1`, `ie1`, …) and edge (`sydney`, `dublin`, …) for REST calls. */
    region: z.string().min(1).optional(),
    edge: z.string().min(1).optional(),
    /** Replaces `https://api.twilio.com` (and region/edge): tests and the emulator. */
    baseUrl: z
      .url()
      .optional()
      .transform((url) => url?.replace(/\/+$/, '')),
    rate: z
      .object({
        /** Messages per second per sender: ~1 for a US long code, more for toll-free and short codes. */
        perSecond: z.number().positive().default(DEFAULT_MESSAGES_PER_SECOND),
      })
      .strict()
      .prefault({}),
    /** Replaces Twilio's default keyword lists (Advanced Opt-Out with custom keywords). */
    keywords: z
      .object({ stop: keywordList, start: keywordList, help: keywordList })
      .partial()
      .strict()
      .optional(),
    /** Answered to HELP/INFO in TwiML; leave unset when Twilio (or the service) answers HELP. */
    helpReply: z.string().min(1).max(1_600).optional(),
    /** ISO countries whose numbers get media as MMS; others get a link. */
    mmsCountries: z
      .array(z.string().regex(/^[A-Z]{2}$/, 'expected an ISO 3166 alpha-2 code'))
      .default([...DEFAULT_MMS_COUNTRIES]),
    timeoutMs: z.number().int().positive().default(DEFAULT_TIMEOUT_MS),
    /**
     * Makes every provider call with this `fetch` (a proxy's dispatcher, an edge runtime's fetch).
     * Without it, sends go over `node:http` with keep-alive and other calls over the global `fetch`
     * (see `callWithTimeout`).
     */
    fetch: FetchOptionSchema.optional(),
    clock: ClockOptionSchema.optional(),
  })
  .strict()
  .refine((value) => value.from !== undefined || value.messagingServiceSid !== undefined, {
    path: ['from'],
    message: 'give `from` (one or more senders) or `messagingServiceSid`',
  })
  .refine((value) => !(value.statusCallbacks === true && value.webhookUrl === undefined), {
    path: ['statusCallbacks'],
    message: 'status callbacks need `webhookUrl`, the public URL Twilio calls',
  });

type SchemaInput = z.input<typeof TwilioSmsOptionsSchema>;
type FromEnvironment = keyof typeof ENV_FALLBACKS;

/**
 * Options of {@link createTwilioSmsAdapter}, as the host writes them. The account SID, auth
 * token, Messaging Service and base URL may be left out when their `TWILIO_*` variables are set.
 */
export type TwilioSmsAdapterOptions = Omit<SchemaInput, FromEnvironment> &
  Partial<Pick<SchemaInput, FromEnvironment>>;
/** Options after defaults and environment fallbacks. */
export type ResolvedTwilioSmsOptions = z.output<typeof TwilioSmsOptionsSchema> & {
  /** The keyword lists in force: the options', else Twilio's defaults. */
  keywordLists: OptOutKeywords;
};

/**
 * Validates the options, filling missing secrets from `TWILIO_*` variables. Throws a
 * `ConfigError` naming every bad option.
 *
 * @example
 * ```ts
 * const options = resolveOptions({ from: '+15005550006' }); // SID and token from env
 * ```
 */
export function resolveOptions(input: TwilioSmsAdapterOptions): ResolvedTwilioSmsOptions {
  const options = parseOptions(
    TwilioSmsOptionsSchema,
    withEnvironmentFallbacks(input, ENV_FALLBACKS),
    'createTwilioSmsAdapter',
  );
  return {
    ...options,
    keywordLists: {
      stop: options.keywords?.stop ?? [...OPT_OUT_KEYWORDS.stop],
      start: options.keywords?.start ?? [...OPT_OUT_KEYWORDS.start],
      help: options.keywords?.help ?? [...OPT_OUT_KEYWORDS.help],
    },
  };
}
