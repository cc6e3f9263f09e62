import { z } from 'zod';

/**
 * The webhook body as Meta sends it for `object: "page"` (Messenger) and `object: "instagram"`:
 * entries (possibly batched), each with `messaging[]` (or `standby[]` when another app controls
 * the conversation) of one event each. Objects are `loose`: Meta adds fields over time.
 * Source: https://developers.facebook.com/documentation/business-messaging/messenger-platform/webhooks/webhook-events
 */

/** Milliseconds since the epoch; Meta's postback sample sends seconds as a string. */
const Timestamp = z.union([z.number(), z.string().regex(/^\d+$/)]).transform((value) => {
  const n = Number(value);
  return n < 1e12 ? n * 1_000 : n;
});

const Id = z.union([z.string(), z.number()]).transform(String);

export const AttachmentSchema = z
  .object({
    type: z.string(),
    payload: z
      .object({
        url: z.string().optional(),
        sticker_id: Id.optional(),
        title: z.string().optional(),
      })
      .loose()
      .nullish(),
  })
  .loose();

export const MessageSchema = z
  .object({
    mid: z.string().min(1),
    text: z.string().optional(),
    is_echo: z.boolean().optional(),
    app_id: Id.optional(),
    metadata: z.string().optional(),
    quick_reply: z.object({ payload: z.string() }).loose().optional(),
    reply_to: z
      .object({
        mid: z.string().optional(),
        story: z.object({ url: z.string().optional(), id: Id.optional() }).loose().optional(),
      })
      .loose()
      .optional(),
    attachments: z.array(AttachmentSchema).optional(),
  })
  .loose();

export const ReferralSchema = z
  .object({
    ref: z.string().optional(),
    source: z.string().optional(),
    type: z.string().optional(),
    ad_id: Id.optional(),
  })
  .loose();

export const MessagingSchema = z
  .object({
    sender: z.object({ id: Id.optional(), user_ref: z.string().optional() }).loose(),
    recipient: z.object({ id: Id }).loose(),
    timestamp: Timestamp.optional(),
    message: MessageSchema.optional(),
    postback: z
      .object({
        mid: z.string().optional(),
        title: z.string().optional(),
        payload: z.string().optional(),
        referral: ReferralSchema.optional(),
      })
      .loose()
      .optional(),
    reaction: z
      .object({
        mid: z.string(),
        action: z.string(),
        emoji: z.string().optional(),
        reaction: z.string().optional(),
      })
      .loose()
      .optional(),
    read: z
      .object({ watermark: Timestamp.optional(), mid: z.string().optional() })
      .loose()
      .optional(),
    delivery: z
      .object({ watermark: Timestamp, mids: z.array(z.string()).optional() })
      .loose()
      .optional(),
    referral: ReferralSchema.optional(),
  })
  .loose();

export const WebhookBodySchema = z.object({
  object: z.string(),
  entry: z.array(
    z
      .object({
        id: Id,
        time: Timestamp.optional(),
        messaging: z.array(MessagingSchema).optional(),
        standby: z.array(MessagingSchema).optional(),
      })
      .loose(),
  ),
});

export type Messaging = z.output<typeof MessagingSchema>;
export type WebhookMessage = z.output<typeof MessageSchema>;
export type Attachment = z.output<typeof AttachmentSchema>;
