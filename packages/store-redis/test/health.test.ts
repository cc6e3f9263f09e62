import { describe, expect, it } from 'vitest';
import { createRedisStore } from '../src/index';
import { REDIS_URL, serverReachable, uniquePrefix } from './support/server';

describe('store.health', () => {
  it.runIf(serverReachable)('is ok when Redis answers PING on the store connection', async () => {
    const store = createRedisStore({
      url: REDIS_URL,
      keyPrefix: uniquePrefix('health'),
      checkPersistence: false,
    });
    try {
      expect(await store.health?.()).toEqual({ ok: true, detail: 'PING answered PONG' });
    } finally {
      await store.close();
    }
  });

  it('is not ok, and says why, when nothing listens (it does not throw)', async () => {
    // Port 1 on loopback: nothing listens there, so the connect is refused at once.
    const store = createRedisStore({
      url: 'redis://127.0.0.1:1',
      connectTimeoutMs: 500,
      checkPersistence: false,
    });
    try {
      const health = await store.health?.();
      expect(health?.ok).toBe(false);
      expect(health?.detail).toMatch(/health/);
    } finally {
      await store.close();
    }
  });
});
