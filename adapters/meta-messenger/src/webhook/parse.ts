import type {
  InboundEvent,
  InboundMessage,
  JsonObject,
  JsonValue,
  Media,
  MediaKind,
} from '@threadline/core';
import { type Attachment, type Messaging, WebhookBodySchema, type WebhookMessage } from './schema';

/**
 * Payload → normalised events, in the order Meta listed them (entries, then each entry's events).
 * Messages, quick replies and postbacks become `message`; reactions `reaction`; `read` and
 * `delivery` watermarks `status-watermark` (Instagram's `read.mid`, one message, a `status`);
 * referrals `conversation-update`; echoes of what a person sent from the inbox `echo`, while
 * echoes of this app's own sends are dropped (the core recorded them when it sent them).
 * Source: https://developers.facebook.com/documentation/business-messaging/messenger-platform/webhooks/webhook-events
 */

/** Who the adapter is, for routing and for the events it makes. */
export interface ParseContext {
  adapterId: string;
  channel: 'messenger' | 'instagram';
  /** `page` or `instagram`: the webhook object this adapter serves. */
  object: string;
  /** `entry[].id` of this inbox: the Page id, or the Instagram account id. */
  accountId: string;
  /** This app's id, to recognise echoes of its own sends. */
  appId?: string;
  /** Whether this adapter itself sent the message `mid` (its echo may beat the send's record). */
  sentByUs?(mid: string): boolean;
  now(): number;
}

/** Attachment types that are media, and the media kind each becomes. */
const MEDIA_TYPES: Readonly<Record<string, MediaKind>> = {
  image: 'image',
  video: 'video',
  audio: 'audio',
  file: 'document',
  sticker: 'sticker',
  // An Instagram story that mentions the account: the story's media, for 24 hours.
  story_mention: 'image',
};

function json(value: unknown): JsonObject {
  return JSON.parse(JSON.stringify(value)) as JsonObject;
}

function mediaOf(attachments: readonly Attachment[]): Media[] {
  return attachments.flatMap((attachment): Media[] => {
    const stickerId = attachment.payload?.sticker_id;
    const kind = stickerId !== undefined ? 'sticker' : MEDIA_TYPES[attachment.type];
    const url = attachment.payload?.url;
    if (kind === undefined || url === undefined) return [];
    return [{ kind, url }];
  });
}

/** What the agent may want beyond text and media: story mentions and replies, shares, fallbacks. */
function extrasOf(message: WebhookMessage): JsonObject | undefined {
  const extras: Record<string, unknown> = {};
  const mention = message.attachments?.find((a) => a.type === 'story_mention');
  if (mention) extras.storyMention = { url: mention.payload?.url };
  if (message.reply_to?.story) extras.storyReply = message.reply_to.story;
  const other = message.attachments?.filter(
    (a) => MEDIA_TYPES[a.type] === undefined && a.payload?.sticker_id === undefined,
  );
  if (other && other.length > 0) extras.attachments = other;
  return Object.keys(extras).length > 0 ? json(extras) : undefined;
}

function inboundMessage(message: WebhookMessage, from: string, timestamp: Date): InboundMessage {
  const media = mediaOf(message.attachments ?? []);
  const extras = extrasOf(message);
  return {
    providerMessageId: message.mid,
    from: { address: from },
    timestamp,
    text: message.text ?? '',
    ...(message.quick_reply ? { payload: message.quick_reply.payload } : {}),
    ...(media.length > 0 ? { media } : {}),
    ...(message.reply_to?.mid ? { replyTo: message.reply_to.mid } : {}),
    ...(extras ? { metadata: extras } : {}),
  };
}

function eventsOf(item: Messaging, context: ParseContext, standby: boolean): InboundEvent[] {
  const origin = { adapterId: context.adapterId, channel: context.channel };
  const timestamp = new Date(item.timestamp ?? context.now());
  const sender = item.sender.id;
  const message = item.message;
  if (message?.is_echo) {
    // Our own sends: recorded by the core when sent. Anything else a person sent from the inbox.
    if (context.appId !== undefined && message.app_id === context.appId) return [];
    if (context.sentByUs?.(message.mid)) return [];
    return [
      {
        type: 'echo',
        ...origin,
        to: { address: item.recipient.id },
        message: inboundMessage(message, item.recipient.id, timestamp),
        ...(message.app_id === undefined ? {} : { sentBy: message.app_id }),
      },
    ];
  }
  const raw = json(item) as JsonValue;
  if (sender === undefined) {
    return [
      {
        type: 'unsupported',
        ...origin,
        reason: 'event without sender.id (user_ref)',
        raw,
        timestamp,
      },
    ];
  }
  if (standby) {
    return [
      {
        type: 'unsupported',
        ...origin,
        reason: 'standby: another app controls this conversation',
        raw,
        timestamp,
        from: { address: sender },
      },
    ];
  }
  const from = { address: sender };
  if (message)
    return [{ type: 'message', ...origin, message: inboundMessage(message, sender, timestamp) }];
  if (item.postback) {
    const { postback } = item;
    return [
      {
        type: 'message',
        ...origin,
        message: {
          providerMessageId: postback.mid ?? `postback:${sender}:${timestamp.getTime()}`,
          from,
          timestamp,
          text: postback.title ?? postback.payload ?? '',
          ...(postback.payload === undefined ? {} : { payload: postback.payload }),
          metadata: json({ postback: true, referral: postback.referral }),
        },
      },
    ];
  }
  if (item.reaction) {
    const { reaction } = item;
    return [
      {
        type: 'reaction',
        ...origin,
        from,
        providerMessageId: `reaction:${reaction.mid}:${sender}:${timestamp.getTime()}`,
        targetMessageId: reaction.mid,
        emoji: reaction.action === 'unreact' ? '' : (reaction.emoji ?? ''),
        timestamp,
      },
    ];
  }
  if (item.read?.watermark !== undefined || item.delivery) {
    const delivered = item.delivery !== undefined;
    return [
      {
        type: 'status-watermark',
        ...origin,
        status: delivered ? 'delivered' : 'read',
        watermark: new Date(
          (delivered ? item.delivery?.watermark : item.read?.watermark) as number,
        ),
        address: sender,
        timestamp,
      },
    ];
  }
  if (item.read?.mid !== undefined) {
    return [
      {
        type: 'status',
        ...origin,
        providerMessageId: item.read.mid,
        status: 'read',
        timestamp,
        address: sender,
      },
    ];
  }
  if (item.referral) {
    return [
      {
        type: 'conversation-update',
        ...origin,
        from,
        action: 'other',
        timestamp,
        metadata: json({ referral: item.referral }),
      },
    ];
  }
  return [
    { type: 'unsupported', ...origin, reason: 'unknown messaging event', raw, from, timestamp },
  ];
}

/** The result of parsing a webhook body. */
export type ParseResult = { ok: true; events: InboundEvent[] } | { ok: false; reason: string };

/**
 * Parses a verified webhook body. Entries for another inbox (another Page or account of the same
 * app) become `unsupported` events rather than vanishing.
 *
 * @example
 * ```ts
 * parseWebhook(raw, { adapterId: 'messenger-1', channel: 'messenger', object: 'page', accountId: '1', now: Date.now });
 * // { ok: true, events: [{ type: 'message', … }] }
 * ```
 */
export function parseWebhook(raw: Uint8Array, context: ParseContext): ParseResult {
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder().decode(raw));
  } catch {
    return { ok: false, reason: 'body is not JSON' };
  }
  const parsed = WebhookBodySchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, reason: `${issue?.path.join('.') || 'body'}: ${issue?.message}` };
  }
  const events: InboundEvent[] = [];
  for (const entry of parsed.data.entry) {
    if (parsed.data.object !== context.object || entry.id !== context.accountId) {
      events.push({
        type: 'unsupported',
        adapterId: context.adapterId,
        channel: context.channel,
        reason: `entry for ${parsed.data.object} ${entry.id}, not this adapter's ${context.object} ${context.accountId}`,
        raw: json(entry) as JsonValue,
        timestamp: new Date(entry.time ?? context.now()),
      });
      continue;
    }
    for (const item of entry.messaging ?? []) events.push(...eventsOf(item, context, false));
    for (const item of entry.standby ?? []) events.push(...eventsOf(item, context, true));
  }
  return { ok: true, events };
}
