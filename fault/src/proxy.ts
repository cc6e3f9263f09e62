import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy between a store's pool and its database that can cut every open connection on
 * demand, or every `intervalMs`: what a flaky network, a load balancer or a failover does to
 * connections, while the database itself stays up.
 */
export interface KillingProxy {
  readonly port: number;
  /** Destroys every open client and upstream socket; returns how many pairs were cut. */
  killAll(): number;
  /** Cuts every connection each `intervalMs` until `stopKilling`. */
  killEvery(intervalMs: number): void;
  stopKilling(): void;
  /** Connections cut so far. */
  readonly killed: number;
  close(): Promise<void>;
}

export async function startKillingProxy(target: {
  host: string;
  port: number;
}): Promise<KillingProxy> {
  const pairs = new Set<[Socket, Socket]>();
  let killed = 0;
  let timer: NodeJS.Timeout | undefined;
  const server: Server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const killAll = () => {
    const n = pairs.size;
    for (const [client, upstream] of pairs) {
      client.destroy();
      upstream.destroy();
    }
    pairs.clear();
    killed += n;
    return n;
  };
  return {
    port,
    killAll,
    killEvery(intervalMs) {
      clearInterval(timer);
      timer = setInterval(killAll, intervalMs);
    },
    stopKilling() {
      clearInterval(timer);
    },
    get killed() {
      return killed;
    },
    async close() {
      clearInterval(timer);
      killAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
