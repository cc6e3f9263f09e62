import { createClient } from '@redis/client';
import { createRedisStore } from '@threadline/store-redis';
import { summarise, timeEach } from '../measure';
import { atMost, type BenchRow } from '../report';
import { measureStore } from './b4-store';
import type { ScenarioContext } from './scenario';

/** The server B4's Redis rows use. */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * B4 on Redis: the store's append and latest-50 read beside the floor they sit on, measured on
 * the same server with the same client library (node-redis) in the same run: a bare `RPUSH` of
 * one entry and a bare `LRANGE` of the last 50 (the commands the store's scripts run, without the
 * script). Keys live under a prefix of their own, deleted afterwards (never FLUSHDB).
 */
export async function b4RedisRows(
  operations: number,
  context: Pick<ScenarioContext, 'log' | 'note'>,
): Promise<BenchRow[]> {
  const prefix = `bench:${process.pid}:${Date.now()}:`;
  const client = createClient({ url: REDIS_URL, socket: { reconnectStrategy: false } });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    context.log(`B4: Redis unreachable at ${REDIS_URL} (${String(error)}); Redis rows skipped`);
    return [];
  }
  try {
    const list = `${prefix}raw`;
    const body = (index: number) =>
      JSON.stringify({
        direction: 'inbound',
        at: Date.now(),
        text: `message ${index}`,
        channel: 'sms',
      });
    const push = summarise(await timeEach(operations, (index) => client.rPush(list, body(index))));
    const range = summarise(await timeEach(operations, () => client.lRange(list, -50, -1)));
    const store = createRedisStore({ url: REDIS_URL, keyPrefix: prefix, checkPersistence: false });
    const { append, read } = await measureStore(store, operations);
    await store.close();
    context.note(
      'Redis rows: the baseline is a bare RPUSH / LRANGE -50 -1 on one node-redis connection to the same server; the store runs one EVALSHA per call.',
    );
    return [
      atMost(
        {
          scenario: 'B4',
          figure: 'redis: append p50',
          value: append.p50,
          unit: 'ms',
          baseline: 'raw RPUSH p50',
          baselineValue: push.p50,
        },
        2,
      ),
      atMost(
        {
          scenario: 'B4',
          figure: 'redis: read latest 50 p50',
          value: read.p50,
          unit: 'ms',
          baseline: 'raw LRANGE 50 p50',
          baselineValue: range.p50,
        },
        2,
      ),
    ];
  } finally {
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
      if (keys.length > 0) await client.del(keys);
    }
    await client.close();
  }
}
