/**
 * How often an instance says it is still there on the fan-out topic. Announcements are tiny (one
 * pub/sub message per instance), so this only bounds how long a lost announcement leaves a peer
 * unknown; 30 s matches the socket heartbeat (`DEFAULT_HEARTBEAT_MS`).
 */
export const PEER_ANNOUNCE_INTERVAL_MS = 30_000;

/**
 * A peer unheard for this long is taken for gone (it crashed without saying `bye`). Three missed
 * announcements, so one or two lost in a broker reconnect do not make an instance stop publishing
 * to a peer that is still serving sockets.
 */
export const PEER_TTL_MS = 3 * PEER_ANNOUNCE_INTERVAL_MS;

/**
 * The other server instances running this adapter on the same store, as far as this one has
 * heard: from their announcements (`hello`, `here`, `bye`) and from any frame they publish. Fan-out
 * publishes a frame for other instances only while there is at least one, so an instance alone on
 * its store (every memory-store app, a single instance on Redis or Postgres) skips the pub/sub
 * round trip that would only come back to itself.
 *
 * Mistakes lean the safe way: a peer that crashed stays known until {@link PEER_TTL_MS} has passed
 * (frames are published for nobody meanwhile, as they always were before), and any publication
 * from an instance makes it known again.
 *
 * Time is monotonic (`performance.now` in production), since announcements run on real timers.
 *
 * @example
 * ```ts
 * const peers = new Peers(() => performance.now());
 * peers.heard('instance-b');
 * peers.any(); // true until instance-b says bye or goes quiet for PEER_TTL_MS
 * ```
 */
export class Peers {
  /** When each peer was last heard from, by its origin id. */
  readonly #lastHeard = new Map<string, number>();
  readonly #now: () => number;
  readonly #ttlMs: number;

  constructor(now: () => number, ttlMs = PEER_TTL_MS) {
    this.#now = now;
    this.#ttlMs = ttlMs;
  }

  /** The peer announced itself or published something. */
  heard(origin: string): void {
    // Delete first so the map stays ordered oldest-heard first, which `any` relies on.
    this.#lastHeard.delete(origin);
    this.#lastHeard.set(origin, this.#now());
  }

  /** Whether the peer was heard from within the TTL. */
  knows(origin: string): boolean {
    const at = this.#lastHeard.get(origin);
    return at !== undefined && this.#now() - at <= this.#ttlMs;
  }

  /** The peer said it is stopping. */
  left(origin: string): void {
    this.#lastHeard.delete(origin);
  }

  /** Whether another instance was heard from within the TTL. Forgets those that were not. */
  any(): boolean {
    const now = this.#now();
    // Oldest first: stale entries are dropped until a live one (usually the first) answers.
    for (const [origin, at] of this.#lastHeard) {
      if (now - at <= this.#ttlMs) return true;
      this.#lastHeard.delete(origin);
    }
    return false;
  }
}
