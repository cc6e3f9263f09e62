import { timingSafeEqual } from 'node:crypto';
import type { InboundEvent } from '@threadline/core';
import { z } from 'zod';

/** The header carrying the webhook secret (Telegram's is `X-Telegram-Bot-Api-Secret-Token`). */
export const RELAY_SECRET_HEADER = 'x-relay-bot-api-secret-token';

/**
 * Whether the request carries our secret. Relay, like Telegram, authenticates the *sender* with a
 * shared secret rather than signing the body, so there is no body signature to check. Compared in
 * constant time so the secret cannot be guessed byte by byte from response times.
 */
export function hasValidSecret(request: Request, secret: string): boolean {
  const given = Buffer.from(request.headers.get(RELAY_SECRET_HEADER) ?? '');
  const expected = Buffer.from(secret);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const UserSchema = z.object({
  id: z.number().int(),
  first_name: z.string().optional(),
  username: z.string().optional(),
});
const MessageSchema = z.object({
  message_id: z.number().int(),
  date: z.number().int(),
  chat: z.object({ id: z.number().int() }),
  from: UserSchema.optional(),
  text: z.string().optional(),
  reply_to_message: z.object({ message_id: z.number().int() }).optional(),
});
const UpdateSchema = z.object({
  update_id: z.number().int(),
  message: MessageSchema.optional(),
  edited_message: MessageSchema.extend({ edit_date: z.number().int() }).optional(),
  callback_query: z
    .object({
      id: z.string(),
      from: UserSchema,
      data: z.string().optional(),
      message: MessageSchema.optional(),
    })
    .optional(),
});

/** A webhook body Relay sends: one update. */
export type RelayUpdate = z.infer<typeof UpdateSchema>;

/**
 * Turns one update into normalised events. A button tap (callback query) becomes a message whose
 * text is the button's label-as-data, so the agent reads it like typed text. An update of a kind
 * this adapter does not understand becomes `unsupported`: ignored silently it would be lost.
 */
export function parseUpdate(
  raw: unknown,
  origin: { adapterId: string; channel: string },
): InboundEvent[] | { error: string } {
  const parsed = UpdateSchema.safeParse(raw);
  if (!parsed.success)
    return {
      error: parsed.error.issues
        .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
        .join('; '),
    };
  const update = parsed.data;
  const base = { adapterId: origin.adapterId, channel: origin.channel };
  if (update.message?.text !== undefined) {
    const { message } = update;
    return [
      {
        ...base,
        type: 'message',
        message: {
          providerMessageId: `m${message.chat.id}:${message.message_id}`,
          from: {
            address: String(message.chat.id),
            ...(message.from?.first_name ? { displayName: message.from.first_name } : {}),
          },
          timestamp: new Date(message.date * 1000),
          text: message.text ?? '',
          ...(message.reply_to_message
            ? { replyTo: `m${message.chat.id}:${message.reply_to_message.message_id}` }
            : {}),
        },
      },
    ];
  }
  if (update.callback_query?.data !== undefined) {
    const query = update.callback_query;
    return [
      {
        ...base,
        type: 'message',
        message: {
          providerMessageId: `cb${query.id}`,
          from: {
            address: String(query.message?.chat.id ?? query.from.id),
            ...(query.from.first_name ? { displayName: query.from.first_name } : {}),
          },
          timestamp: new Date(),
          text: query.data ?? '',
          payload: query.data ?? '',
        },
      },
    ];
  }
  if (update.edited_message !== undefined) {
    // Threadline has no edit event: as a `message` the edit would be a second entry and a second
    // agent turn about something already answered. `unsupported` keeps it visible to the host
    // (`event.received`, the log) with the raw update, and the thread keeps the original text.
    const edited = update.edited_message;
    return [
      {
        ...base,
        type: 'unsupported',
        reason: 'edited message',
        from: { address: String(edited.chat.id) },
        providerMessageId: `m${edited.chat.id}:${edited.message_id}:edit:${edited.edit_date}`,
        raw: JSON.parse(JSON.stringify(raw)),
        timestamp: new Date(edited.edit_date * 1000),
      },
    ];
  }
  return [
    {
      ...base,
      type: 'unsupported',
      reason: 'update kind not handled',
      raw: JSON.parse(JSON.stringify(raw)),
      timestamp: new Date(),
    },
  ];
}
