import { z } from 'zod';
import { MediaSchema } from '../../message/media';

/**
 * `to` names exactly one recipient. `userId` works on every channel; `phoneNumber`, `email` and
 * `conversationId` only where the channel's `capabilities.reach.addressBy` lists them.
 */
export const RecipientInputSchema = z
  .object({
    userId: z.string().min(1).optional(),
    phoneNumber: z.string().min(1).optional(),
    email: z.string().min(1).optional(),
    conversationId: z.string().min(1).optional(),
  })
  .strict()
  .refine((to) => Object.values(to).filter((value) => value !== undefined).length === 1, {
    message: 'give exactly one of userId, phoneNumber, email, conversationId',
  });

export type RecipientInput = z.infer<typeof RecipientInputSchema>;

const dateInput = z
  .union([z.date(), z.iso.datetime({ offset: true })])
  .transform((value) => new Date(value));

/**
 * The sender reference, the same on every send: the id of the adapter that sends
 * (`whatsapp-<phoneNumberId>` by default for WhatsApp Cloud). Omitted, the sender is the one that
 * last served the recipient, else the channel's first adapter. See `docs/naming.md`.
 */
export const SenderSchema = z.string().min(1);

/** The template categories providers name (Meta). */
export const TEMPLATE_CATEGORIES = ['MARKETING', 'UTILITY', 'AUTHENTICATION'] as const;

/** Template parameters by name; the adapter renders them into the provider's components. */
export const TemplateValuesSchema = z
  .object({
    header: z.record(z.string(), z.string()).optional(),
    body: z.record(z.string(), z.string()).optional(),
    buttons: z
      .array(
        z
          .object({
            subType: z.enum(['quick_reply', 'url', 'copy_code', 'phone_number']),
            index: z.number().int().min(0).max(9),
            text: z.string().optional(),
            payload: z.string().optional(),
            couponCode: z.string().optional(),
          })
          .strict(),
      )
      .optional(),
  })
  .strict();

/**
 * The template reference, the same on every API and in adapter options:
 * `{ name, languageCode, category?, values? | components? }` (core's `TemplateMessage`).
 */
export const TemplateInputSchema = z
  .object({
    name: z.string().min(1),
    /** The language the template was approved in, as the provider names it (`en_US`). */
    languageCode: z.string().min(1).default('en_US'),
    category: z.enum(TEMPLATE_CATEGORIES).optional(),
    /** Named parameters (`{ body: { first_name: 'Ann' } }`), rendered by the adapter. */
    values: TemplateValuesSchema.optional(),
    /** The provider's raw component objects, e.g. `[{ type: 'body', parameters: [{ type: 'text', text: 'Ann' }] }]`. */
    components: z.array(z.record(z.string(), z.unknown())).optional(),
  })
  .strict();

/** A template as the host writes it. */
export type TemplateInput = z.input<typeof TemplateInputSchema>;

/** Options shared by every send. */
export const SendOptionsSchema = z
  .object({
    whatsapp: z
      .object({ onClosedWindow: z.enum(['queue', 'fail']).optional() })
      .strict()
      .optional(),
    /** What to do on any channel with a session window; `whatsapp.onClosedWindow` wins for WhatsApp. */
    onClosedWindow: z.enum(['queue', 'fail']).optional(),
    /** A replay with the same key returns the first delivery's current state and sends nothing. */
    idempotencyKey: z.string().min(1).max(255).optional(),
    /**
     * A MARKETING template to a US (+1) number, which Meta does not deliver: `warn` (default) sends
     * it with a `marketing_to_us_number` warning; `fail` throws `MarketingToUsNumberError`.
     */
    onMarketingToUsNumber: z.enum(['warn', 'fail']).optional(),
    /** Send later (ISO 8601 with offset, or a Date). */
    sendAt: dateInput.optional(),
    /** Provider id of a message to reply to. */
    replyTo: z.string().min(1).optional(),
    /**
     * The message tag to use if the session window is closed (channels whose window allows tags,
     * e.g. `CONFIRMED_EVENT_UPDATE` on Messenger); one of the adapter's `windowTags`. Without it
     * the adapter's first tag that still applies is used.
     */
    tag: z.string().min(1).optional(),
  })
  .strict();

export type SendOptions = z.input<typeof SendOptionsSchema> & {
  /** @deprecated Use the send's top-level `from` (the same adapter id). Removed in the next minor. */
  channelIdentifier?: string;
};

const streamSchema = z.custom<AsyncIterable<string>>(
  (value) => typeof value === 'object' && value !== null && Symbol.asyncIterator in value,
  { message: 'expected a string or an async iterable of strings' },
);

/** Input of `channels.send`. */
export const ChannelSendInputSchema = z
  .object({
    channel: z.string().min(1),
    to: RecipientInputSchema,
    from: SenderSchema.optional(),
    text: z.union([z.string(), streamSchema]),
    media: z.array(MediaSchema).optional(),
    options: SendOptionsSchema.optional(),
  })
  .strict()
  .refine(
    (input) =>
      typeof input.text !== 'string' || input.text.trim() !== '' || (input.media?.length ?? 0) > 0,
    {
      message: 'text is empty and there is no media',
      path: ['text'],
    },
  );

export type ChannelSendInput = Omit<z.input<typeof ChannelSendInputSchema>, 'options'> & {
  options?: SendOptions;
};

const templateSendShape = {
  to: RecipientInputSchema,
  from: SenderSchema.optional(),
  template: TemplateInputSchema,
  /** Recorded to the thread as what the template said, so a reply continues coherently. */
  messageContext: z.string().min(1).optional(),
  options: SendOptionsSchema.optional(),
};

/** Input of `channels.whatsapp.sendTemplate` (and any templated channel's). */
export const TemplateSendInputSchema = z.object(templateSendShape).strict();

/** Input of `channels.sendTemplate`: the same, naming the channel. */
export const ChannelTemplateSendInputSchema = z
  .object({ channel: z.string().min(1), ...templateSendShape })
  .strict();

/**
 * The 0.x form of a template send: the template's fields at the top level.
 * @deprecated Use `{ to, template: { name, languageCode, components }, from }`. Removed in the next minor.
 */
export interface LegacyTemplateSendInput {
  to: RecipientInput;
  templateName: string;
  languageCode?: string;
  components?: Array<Record<string, unknown>>;
  category?: (typeof TEMPLATE_CATEGORIES)[number];
  messageContext?: string;
  options?: SendOptions;
}

/** Input of `channels.whatsapp.sendTemplate`. */
export type TemplateSendInput =
  | (Omit<z.input<typeof TemplateSendInputSchema>, 'options'> & { options?: SendOptions })
  | LegacyTemplateSendInput;

/** Input of `channels.sendTemplate`. */
export type ChannelTemplateSendInput = Omit<
  z.input<typeof ChannelTemplateSendInputSchema>,
  'options'
> & { options?: SendOptions };

/** Input of `channels.email.send`. */
export const EmailSendInputSchema = z
  .object({
    to: RecipientInputSchema,
    subject: z.string().optional(),
    text: z.string().optional(),
    html: z.string().optional(),
    /** Markdown with `:::` components, rendered by the email adapter. */
    richBody: z.string().optional(),
    cc: z.array(z.email()).optional(),
    bcc: z.array(z.email()).optional(),
    attachments: z
      .array(
        z
          .object({ filename: z.string().min(1), contentType: z.string().min(1), url: z.url() })
          .strict(),
      )
      .optional(),
    inReplyTo: z.string().min(1).optional(),
    references: z.array(z.string().min(1)).optional(),
    from: SenderSchema.optional(),
    options: SendOptionsSchema.optional(),
  })
  .strict()
  .superRefine((input, ctx) => {
    const bodies = (['text', 'html', 'richBody'] as const).filter(
      (key) => input[key] !== undefined,
    );
    if (input.richBody !== undefined && bodies.length > 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['richBody'],
        message: 'richBody cannot be combined with text or html',
      });
    }
    if (bodies.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['text'], message: 'give text, html or richBody' });
    }
  });

export type EmailSendInput = Omit<z.input<typeof EmailSendInputSchema>, 'options'> & {
  options?: SendOptions;
};
