import { createFakeClock, type FakeClock } from '@threadline/testkit';
import { afterAll } from 'vitest';
import { createRedisStore, type RedisStore } from '../../src/index';
import { deletePrefix, REDIS_URL, uniquePrefix } from './server';

/** A store of a test file, on a key prefix of its own, with the fake clock it runs on. */
export interface TestStore {
  prefix: string;
  clock: FakeClock;
  store: RedisStore;
}

/**
 * Stores for one test file (call it inside `describe.runIf(serverReachable)`): each under its own
 * prefix below one root, so every test starts empty; all are closed and the root deleted after
 * the file.
 */
export function redisTestStores(label: string): () => TestStore {
  const root = uniquePrefix(label);
  const stores: RedisStore[] = [];
  let count = 0;
  afterAll(async () => {
    for (const store of stores) await store.close();
    await deletePrefix(root);
  });
  return () => {
    count += 1;
    const prefix = `${root}${count}:`;
    const clock = createFakeClock();
    const store = createRedisStore({
      url: REDIS_URL,
      keyPrefix: prefix,
      clock,
      checkPersistence: false,
    });
    stores.push(store);
    return { prefix, clock, store };
  };
}
