import type { JsonValue, Logger, PubSub, Unsubscribe } from '@threadline/core';
import { z } from 'zod';
import type { ServerFrame } from '../protocol/frames';
import { PEER_ANNOUNCE_INTERVAL_MS, Peers } from './peers';
import type { ConnectionRegistry, Route } from './registry';

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

/**
 * An instance telling the others about itself on the same topic: `hello` when it starts (the
 * others answer `here`, so it learns about them too), `here` every {@link PEER_ANNOUNCE_INTERVAL_MS},
 * `bye` when it stops. See {@link Peers}.
 */
const AnnouncementSchema = z.object({
  v: z.literal(1),
  origin: z.string(),
  peer: z.enum(['hello', 'here', 'bye']),
});
type Announcement = z.infer<typeof AnnouncementSchema>['peer'];

/** How far a frame got. */
export interface FanOutResult {
  /** Sockets on this instance that took it. */
  local: number;
  /** Whether it was published for other instances (`false` without pub/sub, or with none). */
  published: boolean;
}

/** A publication as an object whose fields can be looked at before validating it. */
function asObject(raw: JsonValue): { [key: string]: JsonValue | undefined } | undefined {
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? raw : undefined;
}

/**
 * Delivers frames to a user's sockets on every instance: to the sockets held here directly, and
 * through the store's pub/sub to the others, but only while another instance is known to listen
 * ({@link Peers}). The publishing instance receives its own publication too (the memory store,
 * Redis and Postgres all echo); it drops it by `origin` before validating anything, as Socket.IO's
 * Redis adapter drops its own messages by `uid` (socket.io-redis `onmessage`). Each socket also drops a frame `key` it already got, so a
 * socket sees each message exactly once even when a delivery is retried.
 */
export class FanOut {
  readonly #registry: ConnectionRegistry;
  readonly #pubsub: PubSub | undefined;
  readonly #topic: string;
  readonly #origin: string;
  readonly #logger: Logger;
  readonly #peers: Peers;
  readonly #announceIntervalMs: number;
  #unsubscribe: Unsubscribe | undefined;
  #announcer: ReturnType<typeof setInterval> | undefined;

  constructor(input: {
    registry: ConnectionRegistry;
    pubsub: PubSub | undefined;
    topic: string;
    origin: string;
    logger: Logger;
    /** Default {@link PEER_ANNOUNCE_INTERVAL_MS}. */
    announceIntervalMs?: number;
    /**
     * Monotonic ms for peer liveness, default `performance.now`. Not the runtime's injectable
     * clock: announcements run on real timers, so a test that moves its clock hours ahead must not
     * make every peer look gone (the same reason the core's pacer uses the monotonic clock).
     */
    now?: () => number;
  }) {
    this.#registry = input.registry;
    this.#pubsub = input.pubsub;
    this.#topic = input.topic;
    this.#origin = input.origin;
    this.#logger = input.logger;
    this.#peers = new Peers(input.now ?? (() => performance.now()));
    this.#announceIntervalMs = input.announceIntervalMs ?? PEER_ANNOUNCE_INTERVAL_MS;
  }

  /** Whether another instance is known to listen: frames are published only then. */
  get hasPeers(): boolean {
    return this.#peers.any();
  }

  /**
   * Subscribes, then says `hello`. Called before any socket is accepted, so the others know about
   * this instance before it can hold a socket they must publish for.
   */
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
    await this.#announce('hello');
    this.#announcer = setInterval(() => void this.#announce('here'), this.#announceIntervalMs);
    this.#announcer.unref?.();
  }

  async stop(): Promise<void> {
    clearInterval(this.#announcer);
    this.#announcer = undefined;
    const unsubscribe = this.#unsubscribe;
    this.#unsubscribe = undefined;
    if (unsubscribe === undefined) return;
    await this.#announce('bye');
    await unsubscribe().catch((error: unknown) =>
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

  /**
   * Publishes for the other instances; `false` without pub/sub or when no other instance is known
   * (nobody else can hold the visitor's sockets). Throws what `publish` throws.
   */
  async publish(
    route: Route,
    frame: ServerFrame,
    options: { key?: string; exclude?: string } = {},
  ): Promise<boolean> {
    if (this.#pubsub === undefined || !this.#peers.any()) return false;
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

  /** Publishes an announcement; a failure is logged (the next one, or any frame, makes up). */
  async #announce(peer: Announcement): Promise<void> {
    const message = { v: 1, origin: this.#origin, peer } satisfies z.input<
      typeof AnnouncementSchema
    >;
    await this.#pubsub
      ?.publish(this.#topic, message)
      .catch((error: unknown) =>
        this.#logger.warn({ err: error, peer }, 'web chat: announcing this instance failed'),
      );
  }

  #receive(raw: JsonValue): void {
    const object = asObject(raw);
    // Our own publications come back on the same topic: drop them before any parsing.
    if (object?.origin === this.#origin) return;
    if (object?.peer !== undefined) {
      this.#receiveAnnouncement(raw);
      return;
    }
    const parsed = PublishedSchema.safeParse(raw);
    if (!parsed.success) {
      this.#logger.warn({ topic: this.#topic }, 'web chat: ignored a malformed publication');
      return;
    }
    const { origin, route, key, exclude, frame } = parsed.data;
    // An instance that publishes is a peer, even one whose announcements were lost.
    this.#heard(origin);
    this.local(route, frame as unknown as ServerFrame, key, exclude);
  }

  #receiveAnnouncement(raw: JsonValue): void {
    const parsed = AnnouncementSchema.safeParse(raw);
    if (!parsed.success) {
      this.#logger.warn({ topic: this.#topic }, 'web chat: ignored a malformed announcement');
      return;
    }
    const { origin, peer } = parsed.data;
    if (peer === 'bye') this.#peers.left(origin);
    else this.#heard(origin);
  }

  /**
   * Notes a peer, and answers one we did not know (a newcomer's `hello`, or an instance whose
   * announcements we missed) with `here`, so it learns about us now rather than at our next
   * periodic announcement. Known peers are not answered, so two instances never ping-pong.
   */
  #heard(origin: string): void {
    const known = this.#peers.knows(origin);
    this.#peers.heard(origin);
    if (!known) void this.#announce('here');
  }
}
