import { type Clock, parseOptions } from '@threadline/core';
import type { Transporter } from 'nodemailer';
import { z } from 'zod';
import type { SaveAttachment } from './inbound/media';

/**
 * The adapter's options: a zod schema with defaults. Everything the transport, the listener, the
 * link signer and the webhook checks need is here; nothing is read later.
 */

/**
 * Largest message the SMTP listener accepts. Gmail refuses incoming mail over 25 MB, so real
 * replies are far smaller; 10 MB keeps a hostile sender from filling memory while taking any
 * normal reply with an attachment.
 * Source: https://support.google.com/mail/answer/6584
 */
export const DEFAULT_MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

/** How long an action button or unsubscribe link in an email stays valid by default (30 days). */
export const DEFAULT_LINK_TTL_SECONDS = 30 * 24 * 60 * 60;

/**
 * A signed webhook older than this is refused as a replay. Mailgun's docs suggest rejecting
 * timestamps far from now and caching tokens; five minutes covers clock skew and retries.
 * Source: https://documentation.mailgun.com/docs/mailgun/user-manual/receive-forward-store/receive-http
 */
export const DEFAULT_WEBHOOK_MAX_AGE_SECONDS = 5 * 60;

/** Inbound attachments up to this size travel inside the thread as `data:` URLs without a `save` hook. */
export const DEFAULT_INLINE_ATTACHMENT_BYTES = 256 * 1024;

/** HS256 wants a key at least as long as its hash (32 bytes): RFC 7518 §3.2. */
const LINK_SECRET_MIN_LENGTH = 32;

const clockSchema = z.custom<Clock>(
  (value) =>
    typeof value === 'object' && value !== null && typeof (value as Clock).now === 'function',
  { message: 'expected a clock with a now() method' },
);

const transporterSchema = z.custom<Transporter>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Transporter).sendMail === 'function',
  { message: 'expected a nodemailer Transporter (from createTransport)' },
);

/** SMTP submission settings; pooled by default (nodemailer's `pool: true`). */
export const SmtpTransportSchema = z
  .object({
    host: z.string().min(1),
    port: z.number().int().positive().default(587),
    /** `true` for implicit TLS (465); `false` upgrades with STARTTLS when the server offers it. */
    secure: z.boolean().default(false),
    auth: z
      .object({ user: z.string().min(1), pass: z.string().min(1) })
      .strict()
      .optional(),
    pool: z.boolean().default(true),
    maxConnections: z.number().int().positive().default(5),
    maxMessages: z.number().int().positive().default(100),
    /** Messages per second across the pool (nodemailer `rateLimit` per 1000 ms). */
    rateLimit: z.number().int().positive().optional(),
    /** For local test servers without TLS. */
    ignoreTLS: z.boolean().optional(),
    tls: z.object({ rejectUnauthorized: z.boolean().optional() }).strict().optional(),
  })
  .strict();

/** DKIM signing of outbound mail (nodemailer's `dkim` option). */
export const DkimSchema = z
  .object({
    domainName: z.string().min(1),
    keySelector: z.string().min(1),
    privateKey: z.string().min(1),
  })
  .strict();

const emailAddress = z.email();

/** The built-in SMTP listener (inbound without a hosted provider). */
export const SmtpListenerSchema = z
  .object({
    host: z.string().default('127.0.0.1'),
    /** `0` picks a free port; read it back from `adapter.listener.port()`. */
    port: z.number().int().nonnegative().default(2525),
    maxMessageBytes: z.number().int().positive().default(DEFAULT_MAX_MESSAGE_BYTES),
    /**
     * Recipients this listener accepts (`agent@acme.example`) or whole domains (`@acme.example`).
     * Anything else is refused at RCPT TO, so the listener is never an open relay.
     */
    recipients: z.array(z.string().min(3)).min(1),
    /** PEM key and certificate to offer STARTTLS; without them STARTTLS is not advertised. */
    tls: z
      .object({ key: z.string().min(1), cert: z.string().min(1) })
      .strict()
      .optional(),
    /** The name the server greets with. */
    name: z.string().min(1).optional(),
  })
  .strict();

/** SPF/DKIM/DMARC checks of mail arriving on the SMTP listener. */
export const SenderAuthSchema = z
  .object({
    /** `reject`: 550 at the end of DATA; `quarantine`: accept, record nothing as the user. */
    onFail: z.enum(['reject', 'quarantine']).default('reject'),
    /** A DNS resolver for mailauth (`(name, rrtype) => records`); defaults to the system's. */
    resolver: z
      .custom<(name: string, rrtype: string) => Promise<unknown>>(
        (value) => typeof value === 'function',
        { message: 'expected a function (name, rrtype) => Promise<records>' },
      )
      .optional(),
    /** Skip the checks (a listener behind a relay that already authenticated). Not recommended. */
    disabled: z.boolean().default(false),
  })
  .strict();

/** Inbound-parse webhooks from hosted providers, each with its own secret. */
export const InboundWebhooksSchema = z
  .object({
    /** Mailgun routes: the HTTP webhook signing key. */
    mailgun: z
      .object({ signingKey: z.string().min(1) })
      .strict()
      .optional(),
    /** SendGrid Inbound Parse and Postmark inbound have no body signature: Basic auth in the URL. */
    sendgrid: z
      .object({ username: z.string().min(1), password: z.string().min(1) })
      .strict()
      .optional(),
    postmark: z
      .object({ username: z.string().min(1), password: z.string().min(1) })
      .strict()
      .optional(),
    /** Generic raw MIME POST: `x-threadline-signature: t=<unix>,v1=<hex HMAC-SHA256(t.body)>`. */
    raw: z
      .object({ secret: z.string().min(16) })
      .strict()
      .optional(),
    maxAgeSeconds: z.number().int().positive().default(DEFAULT_WEBHOOK_MAX_AGE_SECONDS),
  })
  .strict();

/** The options schema of {@link createSmtpEmailAdapter}. */
export const SmtpEmailOptionsSchema = z
  .object({
    /** Adapter id (the webhook path segment). Defaults to `email`. */
    id: z.string().min(1).default('email'),
    /** The sender: `"Acme Support <support@acme.example>"` or a bare address. */
    from: z.string().min(3),
    /** Where replies go when plus-addressing is off (defaults to `from`). */
    replyTo: z.string().min(3).optional(),
    /** A nodemailer Transporter (SES, sendmail, stream…) or SMTP settings for a pooled one. */
    transport: z.union([transporterSchema, SmtpTransportSchema]),
    dkim: DkimSchema.optional(),
    /**
     * The adapter's webhook URL as the internet reaches it (`https://x.example/webhooks/email`).
     * Action buttons and one-click unsubscribe links point below it. Without it, actions are
     * shown as text and no `List-Unsubscribe` header is sent.
     */
    publicUrl: z
      .url()
      .transform((url) => url.replace(/\/+$/, ''))
      .optional(),
    /** Signs action, unsubscribe and reply-address tokens (HS256). At least 32 characters. */
    linkSecret: z.string().min(LINK_SECRET_MIN_LENGTH).optional(),
    linkTtlSeconds: z.number().int().positive().default(DEFAULT_LINK_TTL_SECONDS),
    /**
     * A mailbox whose plus-addresses reach this adapter (`reply@in.acme.example`): each email's
     * `Reply-To` becomes `reply+<thread token>@in.acme.example`, so a reply finds its thread even
     * when a client drops `In-Reply-To`. Needs `linkSecret`.
     */
    replyAddress: emailAddress.optional(),
    /** Inbound attachments: where to store them (`save`), else `data:` URLs up to `inlineMaxBytes`. */
    attachments: z
      .object({
        save: z
          .custom<SaveAttachment>((value) => typeof value === 'function', {
            message: 'expected an async function (file) => ({ url })',
          })
          .optional(),
        inlineMaxBytes: z.number().int().nonnegative().default(DEFAULT_INLINE_ATTACHMENT_BYTES),
      })
      .strict()
      .prefault({}),
    /** The built-in SMTP listener; absent means inbound arrives by webhook only. */
    listener: SmtpListenerSchema.optional(),
    senderAuth: SenderAuthSchema.prefault({}),
    webhooks: InboundWebhooksSchema.prefault({}),
    /** Messages per second this sender may send (the outbox paces to it). */
    perSecond: z.number().positive().default(10),
    clock: clockSchema.optional(),
  })
  .strict()
  .superRefine((options, ctx) => {
    if (options.replyAddress !== undefined && options.linkSecret === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['linkSecret'],
        message: 'replyAddress needs linkSecret to sign the thread token',
      });
    }
    if (options.publicUrl !== undefined && options.linkSecret === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['linkSecret'],
        message: 'publicUrl needs linkSecret to sign action and unsubscribe links',
      });
    }
  });

/** Options of {@link createSmtpEmailAdapter}, as the host writes them. */
export type SmtpEmailAdapterOptions = z.input<typeof SmtpEmailOptionsSchema>;
/** Options after defaults. */
export type ResolvedSmtpEmailOptions = z.output<typeof SmtpEmailOptionsSchema>;

/**
 * Validates the options. Throws a `ConfigError` naming every bad option.
 *
 * @example
 * ```ts
 * resolveOptions({ from: 'agent@acme.example', transport: { host: 'smtp.acme.example' } });
 * ```
 */
export function resolveOptions(input: SmtpEmailAdapterOptions): ResolvedSmtpEmailOptions {
  return parseOptions(SmtpEmailOptionsSchema, input, 'createSmtpEmailAdapter');
}
