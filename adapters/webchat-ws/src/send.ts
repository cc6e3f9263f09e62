import type {
  JsonValue,
  Logger,
  OutboundEnvelope,
  PubSub,
  SendResult,
  Unsubscribe,
} from '@threadline/core';
import { parseMessage } from '@threadline/core';
import { z } from 'zod';
import { sendFailure } from './errors';
import type { ServerFrame } from './protocol/frames';
import { planParts, wireMedia } from './render';
import type { ConnectionRegistry, Route } from './server/registry';

/** The pub/sub topic of one adapter id: every instance running that adapter subscribes to it. */
export function fanOutTopic(adapterId: string): string {
  return `threadline:webchat:${adapterId}`;
}

/** What one instance publishes for the others: a frame, who it is for, and who sent it. */
const PublishedSchema = z.object({
  v: z.literal(1),
  origin: z.string(),
  route: z.object({ userId: z.string().optional(), address: z.string().optional() }),
  /** A frame id each socket accepts once (see `Connection.deliverLive`). */
  key: z.string().optional(),
  /** A connection that must not get it (the tab that sent the message being echoed). */
  exclude: z.string().optional(),
  frame: z.looseObject({ type: z.string() }),
});

/** How far a frame got. */
export interface FanOutResult {
  /** Sockets on this instance that took it. */
  local: number;
  /** Whether it was published for other instances (`false` without pub/sub). */
  published: boolean;
}

/**
 * Delivers frames to a user's sockets on every instance: to the sockets held here directly, and
 * through the store's pub/sub to the others. The publishing instance receives its own publication
 * too (the memory store, Redis and Postgres all echo); it drops it by `origin`, and each socket
 * also drops a frame `key` it already got, so a socket sees each message exactly once even when a
 * delivery is retried.
 */
export class FanOut {
  readonly #registry: ConnectionRegistry;
  readonly #pubsub: PubSub | undefined;
  readonly #topic: string;
  readonly #origin: string;
  readonly #logger: Logger;
  #unsubscribe: Unsubscribe | undefined;

  constructor(input: {
    registry: ConnectionRegistry;
    pubsub: PubSub | undefined;
    topic: string;
    origin: string;
    logger: Logger;
  }) {
    this.#registry = input.registry;
    this.#pubsub = input.pubsub;
    this.#topic = input.topic;
    this.#origin = input.origin;
    this.#logger = input.logger;
  }

  async start(): Promise<void> {
    if (this.#pubsub === undefined) {
      this.#logger.warn(
        { topic: this.#topic },
        'web chat: the store has no pub/sub, so sends reach sockets on this instance only',
      );
      return;
    }
    this.#unsubscribe = await this.#pubsub.subscribe(this.#topic, (message) =>
      this.#receive(message),
    );
  }

  async stop(): Promise<void> {
    const unsubscribe = this.#unsubscribe;
    this.#unsubscribe = undefined;
    await unsubscribe?.().catch((error: unknown) =>
      this.#logger.warn({ err: error }, 'web chat: unsubscribing failed'),
    );
  }

  /** Writes the frame to the route's sockets on this instance. */
  local(route: Route, frame: ServerFrame, key?: string, exclude?: string): number {
    let count = 0;
    for (const connection of this.#registry.find(route)) {
      if (connection.id === exclude) continue;
      if (connection.deliverLive(frame, key)) count += 1;
    }
    return count;
  }

  /** Delivers here and publishes for the other instances. Throws what `publish` throws. */
  async deliver(
    route: Route,
    frame: ServerFrame,
    options: { key?: string; exclude?: string } = {},
  ): Promise<FanOutResult> {
    const local = this.local(route, frame, options.key, options.exclude);
    const published = await this.publish(route, frame, options);
    return { local, published };
  }

  /** Publishes for the other instances; `false` without pub/sub. Throws what `publish` throws. */
  async publish(
    route: Route,
    frame: ServerFrame,
    options: { key?: string; exclude?: string } = {},
  ): Promise<boolean> {
    if (this.#pubsub === undefined) return false;
    const message = {
      v: 1,
      origin: this.#origin,
      route,
      ...(options.key === undefined ? {} : { key: options.key }),
      ...(options.exclude === undefined ? {} : { exclude: options.exclude }),
      frame,
    };
    // A JSON round trip drops `undefined` fields, which a JsonValue cannot hold.
    await this.#pubsub.publish(this.#topic, JSON.parse(JSON.stringify(message)) as JsonValue);
    return true;
  }

  #receive(raw: JsonValue): void {
    const parsed = PublishedSchema.safeParse(raw);
    if (!parsed.success) {
      this.#logger.warn({ topic: this.#topic }, 'web chat: ignored a malformed publication');
      return;
    }
    const { origin, route, key, exclude, frame } = parsed.data;
    if (origin === this.#origin) return;
    this.local(route, frame as unknown as ServerFrame, key, exclude);
  }
}

/** The route of an envelope: every socket of its user, or of its address when there is no user. */
export function routeOf(envelope: Pick<OutboundEnvelope, 'to'>): Route {
  return {
    address: envelope.to.address,
    ...(envelope.to.userId === undefined ? {} : { userId: envelope.to.userId }),
  };
}

/**
 * Sends one envelope to the visitor's sockets everywhere. A visitor with no socket open is not an
 * error: the message is in the thread and replays when they reconnect. Only a message that is
 * neither recorded (no `entry`) nor published can be lost, so that alone fails, retryably.
 */
export async function sendEnvelope(
  fanOut: FanOut,
  envelope: OutboundEnvelope,
  now: () => Date,
  logger: Logger,
): Promise<SendResult> {
  if (envelope.template !== undefined) throw sendFailure('template');
  if (envelope.stream !== undefined) return sendStream(fanOut, envelope, now);
  const text = envelope.text ?? '';
  const media = wireMedia(envelope.media);
  const frame: ServerFrame = {
    type: 'message',
    ...(envelope.entry === undefined ? {} : { seq: envelope.entry.seq }),
    deliveryId: envelope.deliveryId,
    direction: 'outbound',
    channel: 'webchat',
    text,
    parts: planParts(envelope.parts ?? parseMessage(text)),
    ...(media === undefined ? {} : { media }),
    at: now().toISOString(),
  };
  const route = routeOf(envelope);
  const key = `d:${envelope.deliveryId}`;
  const local = fanOut.local(route, frame, key);
  try {
    await fanOut.publish(route, frame, { key });
  } catch (error) {
    if (envelope.entry === undefined) throw sendFailure('fan_out', error);
    logger.warn(
      { err: error, deliveryId: envelope.deliveryId },
      'web chat: publishing failed; other instances will replay the message from the thread',
    );
  }
  return { providerMessageId: envelope.deliveryId, status: local > 0 ? 'sent' : 'accepted' };
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
): Promise<SendResult> {
  const route = routeOf(envelope);
  const { deliveryId } = envelope;
  let text = '';
  let index = 0;
  let local = 0;
  for await (const delta of envelope.stream as AsyncIterable<string>) {
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
