import type { Logger, OutboundEnvelope, SendResult } from '@threadline/core';
import { abortError, parseMessage } from '@threadline/core';
import { sendFailure } from './errors';
import type { MessageFrame, ServerFrame } from './protocol/frames';
import { planParts, wireMedia } from './render';
import type { FanOut } from './server/fan-out';
import type { Route } from './server/registry';

/** The route of an envelope: every socket of its user, or of its address when there is no user. */
export function routeOf(envelope: Pick<OutboundEnvelope, 'to'>): Route {
  return {
    address: envelope.to.address,
    ...(envelope.to.userId === undefined ? {} : { userId: envelope.to.userId }),
  };
}

/**
 * Sends one envelope to the visitor's sockets everywhere: those held here directly, the others
 * through pub/sub when another instance listens (see `FanOut`). A visitor with no socket open is
 * not an error: the message is in the thread and replays when they reconnect. Only a message that
 * is neither recorded (no `entry`) nor published to the instances listening can be lost, so that
 * alone fails, retryably.
 */
export async function sendEnvelope(
  fanOut: FanOut,
  envelope: OutboundEnvelope,
  now: () => Date,
  logger: Logger,
  signal?: AbortSignal,
): Promise<SendResult> {
  // Writing to a socket and publishing cannot be taken back: an aborted send stops before them
  // (and, streaming, between chunks).
  if (signal?.aborted) throw abortError(signal);
  if (envelope.template !== undefined) throw sendFailure('template');
  if (envelope.stream !== undefined) return sendStream(fanOut, envelope, now, signal);
  const text = envelope.text ?? '';
  const media = wireMedia(envelope.media);
  const parts = planParts(envelope.parts ?? parseMessage(text));
  // A frame with nothing in it draws an empty bubble in the widget and an empty entry on replay.
  if (
    media === undefined &&
    parts.every((part) => part.type === 'text' && part.text.trim() === '')
  ) {
    throw sendFailure('empty');
  }
  const frame = messageFrame(envelope, text, parts, media, now);
  const route = routeOf(envelope);
  const key = `d:${envelope.deliveryId}`;
  const local = fanOut.local(route, frame, key);
  // Alone on the store (every memory-store app, one instance on a server store) there is nobody
  // to publish for: no await, so a burst of sends does not pay a microtask turn each.
  if (fanOut.hasPeers) {
    try {
      await fanOut.publish(route, frame, { key });
    } catch (error) {
      if (envelope.entry === undefined) throw sendFailure('fan_out', error);
      logger.warn(
        { err: error, deliveryId: envelope.deliveryId },
        'web chat: publishing failed; other instances will replay the message from the thread',
      );
    }
  }
  return { providerMessageId: envelope.deliveryId, status: local > 0 ? 'sent' : 'accepted' };
}

/**
 * The `message` frame of a sent envelope. Its fields are set in the protocol's order (`seq` after
 * `type`, `media` before `at`), one by one rather than spread in: this runs once per send, and a
 * host reaching every user sends thousands at once (bench B5).
 */
function messageFrame(
  envelope: OutboundEnvelope,
  text: string,
  parts: MessageFrame['parts'],
  media: MessageFrame['media'],
  now: () => Date,
): MessageFrame {
  const frame: MessageFrame = { type: 'message' } as MessageFrame;
  if (envelope.entry !== undefined) frame.seq = envelope.entry.seq;
  frame.deliveryId = envelope.deliveryId;
  frame.direction = 'outbound';
  frame.channel = 'webchat';
  frame.text = text;
  frame.parts = parts;
  if (media !== undefined) frame.media = media;
  frame.at = now().toISOString();
  return frame;
}

/**
 * Streams a reply: a `stream` frame per chunk, then `stream_end` with the full text and parts.
 * The thread entry is written by the core after the stream ends, so these frames carry no seq;
 * the client matches the entry by `deliveryId` when it is replayed.
 */
async function sendStream(
  fanOut: FanOut,
  envelope: OutboundEnvelope,
  now: () => Date,
  signal?: AbortSignal,
): Promise<SendResult> {
  const route = routeOf(envelope);
  const { deliveryId } = envelope;
  let text = '';
  let index = 0;
  let local = 0;
  for await (const delta of envelope.stream as AsyncIterable<string>) {
    if (signal?.aborted) throw abortError(signal);
    text += delta;
    if (delta === '') continue;
    const frame: ServerFrame = { type: 'stream', deliveryId, index, delta };
    const result = await fanOut.deliver(route, frame, { key: `st:${deliveryId}:${index}` });
    local = Math.max(local, result.local);
    index += 1;
  }
  const end: ServerFrame = {
    type: 'stream_end',
    deliveryId,
    text,
    parts: planParts(parseMessage(text)),
    at: now().toISOString(),
  };
  const result = await fanOut.deliver(route, end, { key: `d:${deliveryId}` });
  local = Math.max(local, result.local);
  return { providerMessageId: deliveryId, status: local > 0 ? 'sent' : 'accepted' };
}
