import { z } from 'zod';
import { ClockOptionSchema } from '../clock';

/** Hours after a person's last message during which free-form messages are accepted. */
export const MESSENGER_WINDOW_HOURS = 24;
/** Hours `HUMAN_AGENT` extends it. Source: https://developers.facebook.com/docs/messenger-platform/send-messages/message-tags */
export const HUMAN_AGENT_HOURS = 168;
/** The `app_id` Meta puts on echoes of messages a person sent from the Page inbox. */
export const PAGE_INBOX_APP_ID = '263902037430900';

const digits = (what: string) => z.string().regex(/^\d+$/, `expected ${what} as digits only`);

/** Options of {@link createMessengerEmulator}. */
export const MessengerEmulatorOptionsSchema = z.strictObject({
  /** The Facebook Page (Messenger's inbox, and the Page Instagram sends through). */
  pageId: digits('the Page id'),
  /** The Instagram professional account linked to the Page. */
  instagramAccountId: digits('the Instagram account id').default('17841400000000001'),
  pageAccessToken: z.string().min(1),
  appSecret: z.string().min(1),
  /** The app's id, on echoes of messages sent through the Send API. */
  appId: digits('the app id').default('1517776481860111'),
  verifyToken: z.string().min(1).optional(),
  /** Where `object: "page"` webhooks go. */
  webhookUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** Where `object: "instagram"` webhooks go. */
  instagramWebhookUrl: z.url({ protocol: /^https?$/ }).optional(),
  apiVersion: z
    .string()
    .regex(/^v\d+\.\d+$/, 'expected a Graph version like v25.0')
    .default('v25.0'),
  windowHours: z.number().positive().default(MESSENGER_WINDOW_HOURS),
  /** Tags the app holds the permission for (Meta refuses the others with 10/2018278). */
  permittedTags: z
    .array(
      z.enum(['HUMAN_AGENT', 'CONFIRMED_EVENT_UPDATE', 'POST_PURCHASE_UPDATE', 'ACCOUNT_UPDATE']),
    )
    .default(['HUMAN_AGENT', 'CONFIRMED_EVENT_UPDATE', 'POST_PURCHASE_UPDATE', 'ACCOUNT_UPDATE']),
  /** Post echo webhooks (`is_echo`) for messages sent through the Send API. */
  echoes: z.boolean().default(true),
  /** Post a `delivery` watermark after each accepted Messenger message. */
  autoDeliver: z.boolean().default(true),
  host: z.string().default('127.0.0.1'),
  port: z.number().int().min(0).max(65_535).default(0),
  webhookRetry: z
    .strictObject({
      attempts: z.number().int().positive().default(3),
      backoffMs: z.number().int().min(0).default(100),
      timeoutMs: z.number().int().positive().default(5_000),
    })
    .default({ attempts: 3, backoffMs: 100, timeoutMs: 5_000 }),
  clock: ClockOptionSchema.optional(),
});

export type MessengerEmulatorOptions = z.input<typeof MessengerEmulatorOptionsSchema>;
export type MessengerEmulatorConfig = z.output<typeof MessengerEmulatorOptionsSchema>;
