import { z } from 'zod';
import { ClockOptionSchema } from '../clock';

/** Milliseconds from `queued` to `sent`, and from `sent` to `delivered` (or a carrier failure). */
export const DEFAULT_STATUS_DELAYS_MS = { sent: 20, delivered: 40 } as const;

const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'expected an E.164 number like +15017122661');

/** Options of `createTwilioEmulator`. */
export const TwilioEmulatorOptionsSchema = z
  .object({
    accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'expected an account SID (AC + 32 hex)'),
    /** Signs webhooks and authenticates REST calls (`AccountSid:AuthToken`). */
    authToken: z.string().min(1),
    /** API keys that may authenticate REST calls instead (`SK…:secret`). */
    apiKeys: z
      .array(z.object({ sid: z.string().regex(/^SK[0-9a-fA-F]{32}$/), secret: z.string().min(1) }))
      .default([]),
    /** The account's numbers. A `From` outside them is refused with 21659. */
    numbers: z.array(e164).min(1),
    /** A Messaging Service whose sender pool is `numbers`; STOP then blocks the whole service. */
    messagingServiceSid: z
      .string()
      .regex(/^MG[0-9a-fA-F]{32}$/, 'expected a Messaging Service SID (MG + 32 hex)')
      .optional(),
    /** The app's incoming-message webhook (the number's "A message comes in" URL). */
    webhookUrl: z.url().optional(),
    host: z.string().default('127.0.0.1'),
    port: z.number().int().min(0).max(65_535).default(0),
    statusDelaysMs: z
      .object({
        sent: z.number().int().nonnegative().default(DEFAULT_STATUS_DELAYS_MS.sent),
        delivered: z.number().int().nonnegative().default(DEFAULT_STATUS_DELAYS_MS.delivered),
      })
      .prefault({}),
    webhookRetry: z
      .object({
        attempts: z.number().int().positive().default(3),
        backoffMs: z.number().int().nonnegative().default(50),
        timeoutMs: z.number().int().positive().default(5_000),
      })
      .prefault({}),
    clock: ClockOptionSchema.optional(),
    /** The name the phone's contacts give the account's numbers: the chat title and avatar. */
    businessName: z.string().min(1).max(128).optional(),
    /** Where the phone page's back arrow goes (an app embedding the phone: `/`). Default: the picker. */
    homeUrl: z.string().min(1).optional(),
  })
  .strict();

/** Options of `createTwilioEmulator`, as written. */
export type TwilioEmulatorOptions = z.input<typeof TwilioEmulatorOptionsSchema>;
/** Options after defaults. */
export type TwilioEmulatorConfig = z.output<typeof TwilioEmulatorOptionsSchema>;
