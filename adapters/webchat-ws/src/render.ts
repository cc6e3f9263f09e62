import {
  type Media,
  type MessagePart,
  parseMessage,
  planRender,
  type ThreadEntry,
} from '@threadline/core';
import { webChatCapabilities } from './capabilities';
import type { MessageFrame, WireMedia, WirePart } from './protocol/frames';

/**
 * The wire parts are the core's parts: this assignment fails to compile the day the core adds a
 * field or a kind the protocol does not describe, so docs/protocol.md cannot silently drift.
 */
const toWire = (part: MessagePart): WirePart => part;

/**
 * Plans parts for the widget with core's `planRender`: every component is native, so this only
 * merges and splits text into bubbles of at most `text.maxLength` and turns a one-card carousel
 * into a list.
 *
 * @example
 * ```ts
 * planParts(parseMessage('Hi\n::: actions\n- Yes\n:::'));
 * // [{ type: 'text', text: 'Hi' }, { type: 'actions', actions: [{ label: 'Yes' }] }]
 * ```
 */
export function planParts(parts: readonly MessagePart[]): WirePart[] {
  return planRender(parts, webChatCapabilities).map((segment) =>
    segment.type === 'text' ? { type: 'text', text: segment.text } : toWire(segment.part),
  );
}

/** Media the browser can load: those with a URL (a provider media id means nothing to it). */
export function wireMedia(media: readonly Media[] | undefined): WireMedia[] | undefined {
  const linked = (media ?? []).flatMap((item): WireMedia[] =>
    item.url === undefined
      ? []
      : [
          {
            kind: item.kind,
            url: item.url,
            ...(item.mimeType === undefined ? {} : { mimeType: item.mimeType }),
            ...(item.filename === undefined ? {} : { filename: item.filename }),
            ...(item.caption === undefined ? {} : { caption: item.caption }),
          },
        ],
  );
  return linked.length === 0 ? undefined : linked;
}

/**
 * A thread entry as a replayed `message` frame, or `undefined` for an entry with nothing to show
 * (a reaction). The visitor's own text is shown as written: `:::` typed by a person is not a
 * component. `address` recovers the client's id for the visitor's own messages.
 */
export function entryFrame(entry: ThreadEntry, address: string): MessageFrame | undefined {
  const media = wireMedia(entry.media);
  if (entry.text === '' && media === undefined) return undefined;
  const parts: WirePart[] =
    entry.direction === 'outbound'
      ? planParts(entry.parts ?? parseMessage(entry.text))
      : entry.text === ''
        ? []
        : [{ type: 'text', text: entry.text }];
  const prefix = `${address}:`;
  const clientMsgId =
    entry.direction === 'inbound' && entry.providerMessageId?.startsWith(prefix)
      ? entry.providerMessageId.slice(prefix.length)
      : undefined;
  return {
    type: 'message',
    seq: entry.seq,
    ...(entry.deliveryId === undefined ? {} : { deliveryId: entry.deliveryId }),
    ...(clientMsgId === undefined ? {} : { clientMsgId }),
    direction: entry.direction,
    ...(entry.channel === undefined ? {} : { channel: entry.channel }),
    text: entry.text,
    parts,
    ...(media === undefined ? {} : { media }),
    at: entry.at.toISOString(),
    replay: true,
  };
}
