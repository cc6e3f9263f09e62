import { z } from 'zod';

/**
 * Meta's webhook payload, in zod. Only the envelope (`object`, `entry[]`, `changes[]`) must parse
 * for a request to be accepted; everything inside is parsed item by item, so one message of a
 * shape we do not know becomes an `unsupported` event instead of failing the whole batch (a
 * non-2xx makes Meta redeliver the batch for up to 7 days). Objects are `loose`: Meta adds fields.
 * Source: https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages
 */

/** The envelope: `{ object, entry: [{ id, changes: [{ field, value }] }] }`. */
export const WebhookEnvelopeSchema = z
  .object({
    object: z.string(),
    entry: z.array(
      z
        .object({
          id: z.string().optional(),
          changes: z.array(z.object({ field: z.string(), value: z.unknown() }).loose()),
        })
        .loose(),
    ),
  })
  .loose();

/** An error object, in `statuses[].errors`, `messages[].errors` and `value.errors`. */
export const WebhookErrorSchema = z
  .object({
    code: z.number().optional(),
    title: z.string().optional(),
    message: z.string().optional(),
    error_data: z.object({ details: z.string().optional() }).loose().optional(),
  })
  .loose();

/** The value of a `messages` change. Items are kept raw and parsed one at a time. */
export const MessagesValueSchema = z
  .object({
    metadata: z
      .object({ phone_number_id: z.string(), display_phone_number: z.string().optional() })
      .loose(),
    contacts: z
      .array(
        z
          .object({
            wa_id: z.string().optional(),
            profile: z.object({ name: z.string().optional() }).loose().optional(),
          })
          .loose(),
      )
      .optional(),
    messages: z.array(z.unknown()).optional(),
    statuses: z.array(z.unknown()).optional(),
    errors: z.array(z.unknown()).optional(),
  })
  .loose();

/** Fields every inbound message has. */
export const BaseMessageSchema = z
  .object({
    from: z.string().min(1),
    id: z.string().min(1),
    timestamp: z.string(),
    type: z.string(),
    context: z
      .object({
        id: z.string().optional(),
        from: z.string().optional(),
        forwarded: z.boolean().optional(),
        frequently_forwarded: z.boolean().optional(),
        referred_product: z.record(z.string(), z.unknown()).optional(),
      })
      .loose()
      .optional(),
    referral: z.record(z.string(), z.unknown()).optional(),
    errors: z.array(WebhookErrorSchema).optional(),
  })
  .loose();

const MediaObjectSchema = z
  .object({
    id: z.string().min(1),
    mime_type: z.string().optional(),
    sha256: z.string().optional(),
    caption: z.string().optional(),
    filename: z.string().optional(),
    animated: z.boolean().optional(),
    voice: z.boolean().optional(),
  })
  .loose();

/** The type-specific object of each message type we normalise, keyed by `type`. */
export const MESSAGE_BODY_SCHEMAS = {
  text: z.object({ text: z.object({ body: z.string() }).loose() }),
  button: z.object({
    button: z.object({ text: z.string(), payload: z.string().optional() }).loose(),
  }),
  interactive: z.object({
    interactive: z.discriminatedUnion('type', [
      z.object({
        type: z.literal('button_reply'),
        button_reply: z.object({ id: z.string(), title: z.string() }).loose(),
      }),
      z.object({
        type: z.literal('list_reply'),
        list_reply: z
          .object({ id: z.string(), title: z.string(), description: z.string().optional() })
          .loose(),
      }),
      z.object({
        type: z.literal('nfm_reply'),
        nfm_reply: z
          .object({
            response_json: z.string(),
            body: z.string().optional(),
            name: z.string().optional(),
          })
          .loose(),
      }),
    ]),
  }),
  image: z.object({ image: MediaObjectSchema }),
  video: z.object({ video: MediaObjectSchema }),
  audio: z.object({ audio: MediaObjectSchema }),
  document: z.object({ document: MediaObjectSchema }),
  sticker: z.object({ sticker: MediaObjectSchema }),
  location: z.object({
    location: z
      .object({
        latitude: z.number(),
        longitude: z.number(),
        name: z.string().optional(),
        address: z.string().optional(),
      })
      .loose(),
  }),
  contacts: z.object({ contacts: z.array(z.record(z.string(), z.unknown())).min(1) }),
  reaction: z.object({
    reaction: z.object({ message_id: z.string(), emoji: z.string().optional() }).loose(),
  }),
  order: z.object({
    order: z
      .object({
        catalog_id: z.string().optional(),
        text: z.string().optional(),
        product_items: z.array(z.record(z.string(), z.unknown())),
      })
      .loose(),
  }),
} as const;

/** A message type we normalise. */
export type KnownMessageType = keyof typeof MESSAGE_BODY_SCHEMAS;

/** One item of `statuses[]`. */
export const StatusSchema = z
  .object({
    id: z.string().min(1),
    status: z.string(),
    timestamp: z.string(),
    recipient_id: z.string().optional(),
    pricing: z.record(z.string(), z.unknown()).optional(),
    conversation: z.record(z.string(), z.unknown()).optional(),
    errors: z.array(WebhookErrorSchema).optional(),
  })
  .loose();
