import { z } from 'zod';
import { type Clock, ClockOptionSchema } from '../clock';

/**
 * Cloud API throughput per business number: 80 messages per second by default, upgraded to 1,000
 * when eligible. Source: https://developers.facebook.com/documentation/business-messaging/whatsapp/throughput
 */
export const DEFAULT_RATE_PER_SECOND = 80;
/** The customer service window: 24 hours from the person's last message. */
export const DEFAULT_WINDOW_HOURS = 24;

const digits = (what: string) => z.string().regex(/^\d+$/, `expected ${what} as digits only`);

/** An approved template the emulator knows, for 132001/132000 checks and for the phone page. */
export const TemplateDefinitionSchema = z.strictObject({
  name: z.string().min(1),
  /** Language code, e.g. `en_US`. */
  language: z.string().min(2),
  category: z.enum(['UTILITY', 'MARKETING', 'AUTHENTICATION']).default('UTILITY'),
  /** Body text with `{{1}}`/`{{name}}` placeholders; the phone page shows it filled in. */
  body: z.string().optional(),
  /** Quick-reply button labels, in order (the send only carries their payloads). */
  buttons: z.array(z.string().min(1)).optional(),
});

/** A template the emulator knows. */
export type TemplateDefinition = z.input<typeof TemplateDefinitionSchema>;

/** The zod schema of {@link WhatsAppEmulatorOptions}; unknown keys are refused so typos fail loudly. */
/** The longest `businessName` the phone page's header takes (one line; real display names are far shorter). */
export const MAX_BUSINESS_NAME_LENGTH = 128;

export const WhatsAppEmulatorOptionsSchema = z.strictObject({
  phoneNumberId: digits('the phone-number id'),
  accessToken: z.string().min(1),
  appSecret: z.string().min(1),
  webhookUrl: z.url({ protocol: /^https?$/ }).optional(),
  verifyToken: z.string().min(1).optional(),
  displayPhoneNumber: digits('the display number').default('15550783881'),
  businessAccountId: digits('the WhatsApp Business Account id').default('102290129340398'),
  apiVersion: z
    .string()
    .regex(/^v\d+\.\d+$/, 'expected a Graph version like v21.0')
    .default('v21.0'),
  rate: z.number().int().positive().default(DEFAULT_RATE_PER_SECOND),
  windowHours: z.number().positive().default(DEFAULT_WINDOW_HOURS),
  closedWindow: z.enum(['reject', 'fail-status']).default('reject'),
  statusDelaysMs: z
    .strictObject({
      sent: z.number().int().min(0).default(50),
      delivered: z.number().int().min(0).default(150),
      read: z.number().int().min(0).default(400),
    })
    .default({ sent: 50, delivered: 150, read: 400 }),
  autoRead: z.boolean().default(false),
  webhookRetry: z
    .strictObject({
      attempts: z.number().int().min(1).max(20).default(4),
      backoffMs: z.number().int().min(0).default(200),
      timeoutMs: z.number().int().positive().default(5_000),
    })
    .default({ attempts: 4, backoffMs: 200, timeoutMs: 5_000 }),
  templates: z.array(TemplateDefinitionSchema).optional(),
  clock: ClockOptionSchema.optional(),
  businessName: z.string().min(1).max(MAX_BUSINESS_NAME_LENGTH).optional(),
  homeUrl: z.string().min(1).optional(),
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(0).max(65_535).default(0),
});

/** Options of `createWhatsAppEmulator`. Only the first three are required. */
export interface WhatsAppEmulatorOptions {
  /** The business phone-number id the adapter sends from (`POST /{phoneNumberId}/messages`). */
  phoneNumberId: string;
  /** The only Bearer token the Graph endpoints accept; anything else gets error 190. */
  accessToken: string;
  /** Signs every webhook: `X-Hub-Signature-256: sha256=HMAC(rawBody, appSecret)`. */
  appSecret: string;
  /** Where webhooks go: the app's `/webhooks/<adapterId>` URL. Can be set later with `setWebhookUrl`. */
  webhookUrl?: string;
  /** The app's verify token, for `verifyWebhook()` (Meta's `hub.challenge` handshake). */
  verifyToken?: string;
  /** `metadata.display_phone_number` in webhooks. Default `15550783881`. */
  displayPhoneNumber?: string;
  /** `entry[].id` in webhooks (the WABA id). Default `102290129340398`. */
  businessAccountId?: string;
  /** The Graph version in `graphUrl`. Requests with any version (or none) are accepted. Default `v21.0`. */
  apiVersion?: string;
  /** Messages per second for the number before error 130429. Default 80. */
  rate?: number;
  /** Hours a person's message keeps the window open. Default 24. */
  windowHours?: number;
  /**
   * How a free-form message outside the window fails: `reject` answers 400 with 131047 (default);
   * `fail-status` accepts it and posts a `failed` status with 131047, which Meta also does.
   */
  closedWindow?: 'reject' | 'fail-status';
  /** Real milliseconds before each status, counted from the one before. Default 50/150/400. */
  statusDelaysMs?: { sent?: number; delivered?: number; read?: number };
  /** Post `read` without the phone page open. Default false: a person reads by opening the page. */
  autoRead?: boolean;
  /** Webhook retries when the app answers non-2xx. Default 4 attempts, 200 ms doubling, 5 s timeout. */
  webhookRetry?: { attempts?: number; backoffMs?: number; timeoutMs?: number };
  /** Approved templates. Without it every template is accepted. */
  templates?: TemplateDefinition[];
  /** The source of "now" for windows, rates and timestamps. Default: the system clock. */
  clock?: Clock;
  /**
   * The business as the phone shows it: the chat's title and the initials of its avatar (a real
   * phone shows the business's verified name). Default: the display number, `+15550783881`.
   */
  businessName?: string;
  /**
   * Where the phone page's back arrow and the picker's "back" link go, e.g. the page of an app
   * that embeds the phone (`/`). Default: the back arrow goes to the picker (`/phone`) and the
   * picker has no back link.
   */
  homeUrl?: string;
  /** Default `127.0.0.1`: the emulator has no auth on its phone page, so it stays local. */
  host?: string;
  /** Default 0: a free port, read back from `url`. */
  port?: number;
}

/** The options with defaults applied. */
export type ResolvedWhatsAppEmulatorOptions = z.output<typeof WhatsAppEmulatorOptionsSchema>;
