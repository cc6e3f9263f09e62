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

/** Options shared by every send. */
export const SendOptionsSchema = z
  .object({
    /** Pins the sending adapter by its id. */
    channelIdentifier: z.string().min(1).optional(),
    whatsapp: z
      .object({ onClosedWindow: z.enum(['queue', 'fail']).optional() })
      .strict()
      .optional(),
    /** What to do on any channel with a session window; `whatsapp.onClosedWindow` wins for WhatsApp. */
    onClosedWindow: z.enum(['queue', 'fail']).optional(),
    /** A replay with the same key returns the first delivery's current state and sends nothing. */
    idempotencyKey: z.string().min(1).max(255).optional(),
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

export type SendOptions = z.input<typeof SendOptionsSchema>;

const streamSchema = z.custom<AsyncIterable<string>>(
  (value) => typeof value === 'object' && value !== null && Symbol.asyncIterator in value,
  { message: 'expected a string or an async iterable of strings' },
);

/** Input of `channels.send`. */
export const ChannelSendInputSchema = z
  .object({
    channel: z.string().min(1),
    to: RecipientInputSchema,
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

export type ChannelSendInput = z.input<typeof ChannelSendInputSchema>;

/** Input of `channels.whatsapp.sendTemplate` (and any templated channel). */
export const TemplateSendInputSchema = z
  .object({
    to: RecipientInputSchema,
    templateName: z.string().min(1),
    languageCode: z.string().min(1).default('en_US'),
    /** The provider's raw component objects, e.g. `[{ type: 'body', parameters: [{ type: 'text', text: 'Ann' }] }]`. */
    components: z.array(z.record(z.string(), z.unknown())).optional(),
    category: z.enum(['MARKETING', 'UTILITY', 'AUTHENTICATION']).optional(),
    /** Recorded to the thread as what the template said, so a reply continues coherently. */
    messageContext: z.string().min(1).optional(),
    options: SendOptionsSchema.optional(),
  })
  .strict();

export type TemplateSendInput = z.input<typeof TemplateSendInputSchema>;

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

export type EmailSendInput = z.input<typeof EmailSendInputSchema>;
