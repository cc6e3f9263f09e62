import {
  type InboundEvent,
  type InboundMessage,
  type JsonObject,
  type JsonValue,
  type Media,
  type Sender,
  toE164,
  type UnsupportedEvent,
} from '@threadline/core';
import type { z } from 'zod';
import { parseBaseMessage, parseMessageBody } from './fast-checks';
import { type KnownMessageType, MESSAGE_BODY_SCHEMAS } from './schema';

/**
 * One inbound `messages[]` item → one normalised event: a `message` for every type a user can
 * write, a `reaction` for reactions, and an `unsupported` event (with the raw item) for anything
 * else, so nothing Meta sends is dropped unseen.
 */

/** What every event carries, and the time for items without a usable timestamp. */
export interface EventOrigin {
  adapterId: string;
  channel: string;
  now(): number;
}

type Contacts = ReadonlyArray<{
  wa_id?: string | undefined;
  profile?: { name?: string | undefined } | undefined;
}>;

/** What a message type contributes besides the common fields. */
type Content = Pick<InboundMessage, 'text'> &
  Partial<Pick<InboundMessage, 'payload' | 'media' | 'location' | 'contacts' | 'metadata'>>;

type BodyOf<K extends KnownMessageType> = z.infer<(typeof MESSAGE_BODY_SCHEMAS)[K]>;

/**
 * Meta's timestamps are unix seconds as strings; one that is not a number takes the clock's now.
 *
 * @example
 * ```ts
 * timestampOf('1767225600', origin); // 2026-01-01T00:00:00.000Z
 * ```
 */
export function timestampOf(value: string, origin: EventOrigin): Date {
  const seconds = Number(value);
  return Number.isFinite(seconds) && value.trim() !== ''
    ? new Date(seconds * 1_000)
    : new Date(origin.now());
}

/** Drops `undefined` values, so events hold only what Meta sent. */
function compact<T extends Record<string, unknown>>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as T;
}

function mediaContent(kind: Media['kind'], object: BodyOf<'image'>['image']): Content {
  const media = compact({
    kind,
    mediaId: object.id,
    mimeType: object.mime_type,
    sha256: object.sha256,
    caption: object.caption,
    filename: object.filename,
  }) as Media;
  const extras = compact({ voice: object.voice, animated: object.animated });
  return {
    text: object.caption ?? '',
    media: [media],
    ...(Object.keys(extras).length > 0 ? { metadata: extras as JsonObject } : {}),
  };
}

/** Per type: what the user wrote or tapped, in the common message shape. */
const CONTENT: { [K in Exclude<KnownMessageType, 'reaction'>]: (body: BodyOf<K>) => Content } = {
  text: ({ text }) => ({ text: text.body }),
  // A tap on a template's quick-reply button.
  button: ({ button }) => compact({ text: button.text, payload: button.payload }),
  interactive: ({ interactive }): Content => {
    switch (interactive.type) {
      case 'button_reply':
        return { text: interactive.button_reply.title, payload: interactive.button_reply.id };
      case 'list_reply': {
        const { id, title, description } = interactive.list_reply;
        return {
          text: title,
          payload: id,
          ...(description === undefined ? {} : { metadata: { description } }),
        };
      }
      case 'nfm_reply': {
        // A completed WhatsApp Flow: the answers are a JSON string; `payload` keeps it verbatim.
        const { response_json, body, name } = interactive.nfm_reply;
        let response: JsonValue = response_json;
        try {
          response = JSON.parse(response_json) as JsonValue;
        } catch {
          // Kept as the string Meta sent.
        }
        return {
          text: body ?? '',
          payload: response_json,
          metadata: { flow: compact({ name, response }) as JsonObject },
        };
      }
    }
  },
  image: ({ image }) => mediaContent('image', image),
  video: ({ video }) => mediaContent('video', video),
  audio: ({ audio }) => mediaContent('audio', audio),
  document: ({ document }) => mediaContent('document', document),
  sticker: ({ sticker }) => mediaContent('sticker', sticker),
  location: ({ location }) => ({
    text: '',
    location: compact({
      latitude: location.latitude,
      longitude: location.longitude,
      name: location.name,
      address: location.address,
    }),
  }),
  contacts: ({ contacts }) => ({ text: '', contacts: contacts as JsonValue[] }),
  order: ({ order }) => ({ text: order.text ?? '', metadata: { order: order as JsonObject } }),
};

function unsupported(
  origin: EventOrigin,
  input: { reason: string; raw: JsonValue; timestamp: Date; from?: Sender; id?: string },
): UnsupportedEvent {
  return {
    type: 'unsupported',
    adapterId: origin.adapterId,
    channel: origin.channel,
    reason: input.reason,
    raw: input.raw,
    timestamp: input.timestamp,
    ...(input.from === undefined ? {} : { from: input.from }),
    ...(input.id === undefined ? {} : { providerMessageId: input.id }),
  };
}

function isKnown(type: string): type is KnownMessageType {
  return Object.hasOwn(MESSAGE_BODY_SCHEMAS, type);
}

/**
 * Normalises one `messages[]` item. `from.address` is E.164 with `+` (Meta sends digits); the
 * display name comes from the change's `contacts[]`; `context.id` becomes `replyTo`.
 *
 * @example
 * ```ts
 * messageEvent({ from: '16505551234', id: 'wamid.1', timestamp: '1700000000', type: 'text', text: { body: 'hi' } }, [], origin);
 * // { type: 'message', message: { providerMessageId: 'wamid.1', from: { address: '+16505551234' }, text: 'hi', … } }
 * ```
 */
export function messageEvent(
  raw: JsonValue,
  contacts: Contacts,
  origin: EventOrigin,
): InboundEvent {
  const base = parseBaseMessage(raw);
  if (!base.success) {
    return unsupported(origin, {
      reason: 'a message without from, id, timestamp or type',
      raw,
      timestamp: new Date(origin.now()),
    });
  }
  const { from: wa, id, type, context, referral, errors } = base.data;
  const timestamp = timestampOf(base.data.timestamp, origin);
  const address = toE164(wa, { international: true });
  if (address === null) {
    // Business-scoped user ids are appearing in place of numbers; the core keys WhatsApp users by
    // phone, so such a sender is reported rather than guessed at.
    return unsupported(origin, {
      reason: `sender ${wa} is not a phone number`,
      raw,
      timestamp,
      id,
    });
  }
  const name = contacts.find((contact) => contact.wa_id === wa)?.profile?.name;
  const from: Sender = name === undefined ? { address } : { address, displayName: name };
  if (!isKnown(type)) {
    const error = errors?.[0];
    const why = error ? `: ${error.title ?? error.message ?? ''} (${error.code ?? '?'})` : '';
    return unsupported(origin, { reason: `message type ${type}${why}`, raw, timestamp, from, id });
  }
  const body = parseMessageBody(type, raw);
  if (!body.success) {
    return unsupported(origin, { reason: `malformed ${type} message`, raw, timestamp, from, id });
  }
  const event = { adapterId: origin.adapterId, channel: origin.channel };
  if (type === 'reaction') {
    const { reaction } = body.data as BodyOf<'reaction'>;
    return {
      ...event,
      type: 'reaction',
      from,
      providerMessageId: id,
      targetMessageId: reaction.message_id,
      // No emoji: the user removed their reaction.
      emoji: reaction.emoji ?? '',
      timestamp,
    };
  }
  const { metadata: own, ...content } = (CONTENT[type] as (body: unknown) => Content)(body.data);
  const extras = compact({
    forwarded: context?.forwarded,
    frequentlyForwarded: context?.frequently_forwarded,
    referredProduct: context?.referred_product,
    referral,
  }) as JsonObject;
  const metadata = { ...extras, ...own };
  return {
    ...event,
    type: 'message',
    message: {
      ...content,
      providerMessageId: id,
      from,
      timestamp,
      ...(context?.id === undefined ? {} : { replyTo: context.id }),
      ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
    },
  };
}
