import { unixSeconds, wamid } from './ids';
import type { WhatsAppState } from './state';
import type { InboundMessagePayload } from './types';

/** Media a person sends. Without `bytes` the emulator makes a small placeholder file. */
export interface PersonMediaInput {
  bytes?: Uint8Array | string;
  mimeType?: string;
  caption?: string;
  filename?: string;
}

type Reply = { replyTo?: string };

/**
 * What a person can send: text, a tap on a template quick-reply (`button`), on an interactive
 * reply button (`button_reply`) or list row (`list_reply`), a Flow answer (`nfm_reply`), media,
 * a location or a reaction. `replyTo` quotes an earlier message (Meta's `context`).
 */
export type PersonInput =
  | string
  | ({ text: string } & Reply)
  | ({ button: string; payload?: string } & Reply)
  | ({ button_reply: { id: string; title: string } } & Reply)
  | ({ list_reply: { id: string; title: string; description?: string } } & Reply)
  | ({ nfm_reply: { response_json: string; body?: string; name?: string } } & Reply)
  | ({ image: PersonMediaInput } & Reply)
  | ({ video: PersonMediaInput } & Reply)
  | ({ audio: PersonMediaInput } & Reply)
  | ({ document: PersonMediaInput } & Reply)
  | ({ sticker: PersonMediaInput } & Reply)
  | ({ location: { latitude: number; longitude: number; name?: string; address?: string } } & Reply)
  | { reaction: { message_id: string; emoji: string } };

/** The media kinds a person can send, with the placeholder used when no bytes are given. */
const MEDIA_DEFAULTS = {
  // A 1×1 transparent PNG: a real image, so a downstream image pipeline does not choke.
  image: {
    mimeType: 'image/png',
    bytes: Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
      'base64',
    ),
  },
  video: { mimeType: 'video/mp4', bytes: Buffer.from('placeholder video') },
  // Voice notes arrive as Ogg Opus, which is what Meta reports for them.
  audio: { mimeType: 'audio/ogg; codecs=opus', bytes: Buffer.from('placeholder audio') },
  document: { mimeType: 'application/pdf', bytes: Buffer.from('%PDF-1.4\n% placeholder\n') },
  sticker: { mimeType: 'image/webp', bytes: Buffer.from('RIFF\0\0\0\0WEBP') },
} as const;

type MediaKind = keyof typeof MEDIA_DEFAULTS;

function mediaKindOf(input: object): MediaKind | undefined {
  return (Object.keys(MEDIA_DEFAULTS) as MediaKind[]).find((kind) => kind in input);
}

function toBytes(bytes: Uint8Array | string): Uint8Array {
  return typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
}

/** The type-specific part of an inbound message (`{ type, text: {…} }`, `{ type, image: {…} }`…). */
function content(
  input: Exclude<PersonInput, string>,
  state: WhatsAppState,
): Record<string, unknown> {
  if ('text' in input) return { type: 'text', text: { body: input.text } };
  if ('button' in input) {
    // A template quick-reply without a payload reports its label as the payload.
    return {
      type: 'button',
      button: { payload: input.payload ?? input.button, text: input.button },
    };
  }
  if ('button_reply' in input) {
    return {
      type: 'interactive',
      interactive: { type: 'button_reply', button_reply: input.button_reply },
    };
  }
  if ('list_reply' in input) {
    return {
      type: 'interactive',
      interactive: { type: 'list_reply', list_reply: input.list_reply },
    };
  }
  if ('nfm_reply' in input) {
    const { response_json, body = 'Sent', name = 'flow' } = input.nfm_reply;
    return {
      type: 'interactive',
      interactive: { type: 'nfm_reply', nfm_reply: { response_json, body, name } },
    };
  }
  if ('location' in input) return { type: 'location', location: input.location };
  if ('reaction' in input) return { type: 'reaction', reaction: input.reaction };
  const kind = mediaKindOf(input);
  if (kind === undefined) throw new TypeError(`Unknown person input: ${JSON.stringify(input)}`);
  const media = (input as Record<MediaKind, PersonMediaInput>)[kind];
  const fallback = MEDIA_DEFAULTS[kind];
  const stored = state.addMedia({
    bytes: media.bytes === undefined ? fallback.bytes : toBytes(media.bytes),
    mimeType: media.mimeType ?? fallback.mimeType,
    ...(media.filename === undefined ? {} : { filename: media.filename }),
  });
  return {
    type: kind,
    [kind]: {
      ...(media.caption === undefined ? {} : { caption: media.caption }),
      ...(kind === 'document' ? { filename: media.filename ?? 'document.pdf' } : {}),
      mime_type: stored.mimeType,
      sha256: stored.sha256,
      id: stored.id,
      ...(kind === 'audio' ? { voice: media.mimeType === undefined } : {}),
      ...(kind === 'sticker' ? { animated: false } : {}),
    },
  };
}

/**
 * Builds the `messages[]` item Meta would post for what a person sent.
 * Source: https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages
 *
 * @example
 * ```ts
 * buildInboundMessage({ waId: '447700900123', input: 'hi', now: Date.now(), businessNumber: '15550783881', state });
 * // { from: '447700900123', id: 'wamid.…', timestamp: '1767225600', type: 'text', text: { body: 'hi' } }
 * ```
 */
export function buildInboundMessage(args: {
  waId: string;
  input: PersonInput;
  now: number;
  businessNumber: string;
  state: WhatsAppState;
}): InboundMessagePayload {
  const input = typeof args.input === 'string' ? { text: args.input } : args.input;
  const replyTo = 'replyTo' in input ? input.replyTo : undefined;
  const { type, ...rest } = content(input, args.state);
  return {
    from: args.waId,
    id: wamid(args.waId),
    timestamp: unixSeconds(args.now),
    ...(replyTo === undefined ? {} : { context: { from: args.businessNumber, id: replyTo } }),
    type: type as string,
    ...rest,
  };
}
