import { createRedisStore } from '@threadline/store-redis';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Whether Redis answers; under CI=true it must. */
export async function redisReachable(what: string): Promise<boolean> {
  const probe = createRedisStore({
    url: REDIS_URL,
    connectTimeoutMs: 2_000,
    checkPersistence: false,
  });
  try {
    await probe.leases.holder('probe');
    return true;
  } catch (error) {
    if (process.env.CI === 'true') throw error;
    console.warn(
      `\n!! SKIPPING ${what} on Redis: no Redis at ${REDIS_URL} (${String(error)}).\n` +
        '!! Start Redis (.ci/services) or set REDIS_URL; under CI=true they fail instead.\n',
    );
    return false;
  } finally {
    await probe.close();
  }
}
