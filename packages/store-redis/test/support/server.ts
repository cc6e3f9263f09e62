import { randomBytes } from 'node:crypto';
import { createClient } from '@redis/client';

/** The server the Redis tests use: CI's, or the developer's own. */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Whether this run must use the real server (CI) rather than skip without one. */
const REQUIRED = process.env.CI === 'true';

async function probe(): Promise<string | null> {
  const client = createClient({
    url: REDIS_URL,
    socket: { connectTimeout: 3_000, reconnectStrategy: false },
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
    return null;
  } catch (error) {
    return error instanceof Error ? error.message || String(error) : String(error);
  } finally {
    if (client.isOpen) await client.close();
  }
}

const failure = await probe();

if (failure !== null && REQUIRED) {
  throw new Error(
    `CI=true but Redis is not reachable at ${REDIS_URL} (${failure}). ` +
      'The Redis store tests must run against the real server in CI: start it (.ci/services).',
  );
}
if (failure !== null) {
  const line = '!'.repeat(78);
  console.warn(
    `\n${line}\n!! SKIPPING the tests of @threadline/store-redis:\n` +
      `!! no Redis at ${REDIS_URL} (${failure}).\n` +
      '!! Start Redis (.ci/services) or set REDIS_URL;\n' +
      `!! under CI=true these tests fail instead of skipping.\n${line}\n`,
  );
}

/**
 * Whether Redis answered when the test file loaded. Use it with `describe.runIf(serverReachable)`:
 * without a server on a laptop the tests skip with the banner above; under `CI=true` the import
 * itself throws.
 */
export const serverReachable = failure === null;

/**
 * A key prefix no other test (or other engineer sharing this Redis) uses. Tests never flush the
 * database: they delete their own prefix.
 */
export function uniquePrefix(label: string): string {
  return `tl-test:${label}:${randomBytes(6).toString('hex')}:`;
}

/** Deletes every key under `prefix` (SCAN, never FLUSHDB) and reports how many there were. */
export async function deletePrefix(prefix: string, url = REDIS_URL): Promise<number> {
  const client = createClient({ url, RESP: 2 });
  client.on('error', () => undefined);
  await client.connect();
  let deleted = 0;
  try {
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
      if (keys.length > 0) deleted += await client.del(keys);
    }
  } finally {
    await client.close();
  }
  return deleted;
}
