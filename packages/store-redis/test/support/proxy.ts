import { createConnection, createServer, type Socket } from 'node:net';

/**
 * A TCP proxy in front of Redis for one store: it counts round trips (a client burst sent after
 * the server last answered: pipelined commands count once) and can stop the traffic after the
 * n-th round trip, as a crash (`cutAfter`) or a stall (`pauseAfter`) of the process would.
 */
export interface RedisProxy {
  /** The `redis://` URL to give the store. */
  readonly url: string;
  /** Round trips since the last {@link RedisProxy.reset}. */
  roundTrips(): number;
  reset(): void;
  /**
   * The round trip after the next `n` never reaches Redis: the connections are cut and every
   * later one is refused, as for a process that died there.
   */
  cutAfter(n: number): void;
  /**
   * The round trip after the next `n` is held back until `resume()`: a process that stalled
   * there. Resolves once a burst is held.
   */
  pauseAfter(n: number): { held: Promise<void>; resume: () => void };
  close(): Promise<void>;
}

/** Starts a proxy on a free port of 127.0.0.1 to the Redis at `target`. */
export async function startRedisProxy(target: string): Promise<RedisProxy> {
  const upstream = new URL(target);
  const sockets = new Set<Socket>();
  let trips = 0;
  let answered = true;
  let cutAt: number | null = null;
  let dead = false;
  let pause: { at: number; held: () => void; queue: Array<() => void> | null } | null = null;

  function kill(): void {
    dead = true;
    for (const socket of sockets) socket.destroy();
  }

  const server = createServer((client) => {
    if (dead) {
      client.destroy();
      return;
    }
    const redis = createConnection({
      host: upstream.hostname,
      port: Number(upstream.port || 6379),
    });
    sockets.add(client);
    sockets.add(redis);
    const forward = (chunk: Buffer) => {
      if (!dead) redis.write(chunk);
    };
    client.on('data', (chunk: Buffer) => {
      if (dead) return;
      if (answered) {
        trips += 1;
        answered = false;
      }
      if (cutAt !== null && trips > cutAt) {
        kill();
        return;
      }
      if (pause !== null && trips > pause.at) {
        if (pause.queue === null) {
          forward(chunk);
          return;
        }
        pause.queue.push(() => forward(chunk));
        pause.held();
        return;
      }
      forward(chunk);
    });
    redis.on('data', (chunk: Buffer) => {
      answered = true;
      if (!dead) client.write(chunk);
    });
    const end = () => {
      client.destroy();
      redis.destroy();
      sockets.delete(client);
      sockets.delete(redis);
    };
    client.on('close', end);
    redis.on('close', end);
    client.on('error', end);
    redis.on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no proxy port');
  const auth =
    upstream.username || upstream.password ? `${upstream.username}:${upstream.password}@` : '';
  const db = upstream.pathname.length > 1 ? upstream.pathname : '';

  return {
    url: `redis://${auth}127.0.0.1:${address.port}${db}`,
    roundTrips: () => trips,
    reset() {
      trips = 0;
    },
    cutAfter(n) {
      cutAt = trips + n;
    },
    pauseAfter(n) {
      let held: () => void = () => undefined;
      const heldPromise = new Promise<void>((resolve) => {
        held = resolve;
      });
      const current = { at: trips + n, held, queue: [] as Array<() => void> | null };
      pause = current;
      return {
        held: heldPromise,
        resume() {
          const queued = current.queue ?? [];
          current.queue = null;
          for (const send of queued) send();
        },
      };
    },
    async close() {
      kill();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
