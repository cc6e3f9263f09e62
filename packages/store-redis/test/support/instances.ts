import { createClient } from '@redis/client';
import { createFakeClock, type FakeClock } from '@threadline/testkit';
import { createRedisStore, type RedisStore } from '../../src/index';
import { type RedisProxy, startRedisProxy } from './proxy';
import { deletePrefix, REDIS_URL, uniquePrefix } from './server';

/** A plain RESP2 client on the test Redis. */
function createAdmin() {
  return createClient({ url: REDIS_URL, RESP: 2 });
}

/** Two app instances on one Redis: one whose traffic can be counted, cut or held, and a live one. */
export interface Instances {
  keyPrefix: string;
  clock: FakeClock;
  /** Instance A, behind its proxy. */
  a: RedisStore;
  proxy: RedisProxy;
  /** Instance B, straight to Redis: it takes over what A left. */
  b: RedisStore;
  /** A plain client, to look at (or break) keys as an operator would. */
  admin: ReturnType<typeof createAdmin>;
  /** One more instance behind a proxy of its own (to count what a takeover costs). */
  proxied(): Promise<{ proxy: RedisProxy; store: RedisStore }>;
}

/**
 * Makes {@link Instances} on a fresh key prefix per call, all sharing one fake clock; `dispose`
 * closes them and deletes every prefix it handed out.
 */
export function createInstances(label: string): {
  next(): Promise<Instances>;
  dispose(): Promise<void>;
} {
  const root = uniquePrefix(label);
  const cleanups: Array<() => Promise<void>> = [];
  let count = 0;
  return {
    async next() {
      count += 1;
      const keyPrefix = `${root}${count}:`;
      const clock = createFakeClock();
      const options = { keyPrefix, clock, checkPersistence: false };
      // Connected before anything is counted or cut.
      const proxied = async () => {
        const proxy = await startRedisProxy(REDIS_URL);
        const store = createRedisStore({ ...options, url: proxy.url, connectTimeoutMs: 500 });
        cleanups.push(async () => {
          await proxy.close();
          await store.close().catch(() => undefined);
        });
        await store.health?.();
        return { proxy, store };
      };
      const { proxy, store: a } = await proxied();
      const b = createRedisStore({ ...options, url: REDIS_URL });
      const admin = createAdmin();
      await admin.connect();
      cleanups.push(async () => {
        await Promise.all([b.close(), admin.close()]);
      });
      return { keyPrefix, clock, a, proxy, b, admin, proxied };
    },
    async dispose() {
      for (const cleanup of cleanups.reverse()) await cleanup();
      await deletePrefix(root);
    },
  };
}
