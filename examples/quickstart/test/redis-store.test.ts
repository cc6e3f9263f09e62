import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@redis/client';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_USER } from '../src/config';
import { type Demo, startDemo } from '../src/demo';
import { DEMO_REDIS_PREFIX } from '../src/store';
import { ChatVisitor } from './webchat-client';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

async function reachable(): Promise<boolean> {
  const client = createClient({ url: REDIS_URL, socket: { reconnectStrategy: false } });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch {
    return false;
  } finally {
    await client.close().catch(() => undefined);
  }
}

const haveRedis = await reachable();
if (!haveRedis && process.env.CI === 'true') {
  throw new Error(`CI=true but Redis is not reachable at ${REDIS_URL}: start it (.ci/services)`);
}
if (!haveRedis) {
  console.warn(
    `\n!! SKIPPING the demo-on-Redis test: no Redis at ${REDIS_URL} (start it or set REDIS_URL).\n`,
  );
}

describe.runIf(haveRedis)('the demo on Redis (REDIS_URL)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'threadline-demo-redis-'));
  let demo: Demo | undefined;
  afterAll(async () => {
    await demo?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    // The demo's keys live under one prefix on the shared server: remove exactly those.
    const client = createClient({ url: REDIS_URL });
    await client.connect();
    for await (const keys of client.scanIterator({ MATCH: `${DEMO_REDIS_PREFIX}*`, COUNT: 500 })) {
      if (keys.length > 0) await client.del(keys);
    }
    await client.close();
  }, 60_000);

  it('runs on the Redis store with one setting and keeps the web chat thread there', {
    timeout: 120_000,
  }, async () => {
    demo = await startDemo({ port: 0, dataDir, redisUrl: REDIS_URL });
    expect(demo.storeDescription).toContain(`Redis at ${new URL(REDIS_URL).toString()}`);

    const { token } = (await (await fetch(`${demo.url.replace(/\/$/, '')}/chat-token`)).json()) as {
      token: string;
    };
    const visitor = await ChatVisitor.connect(demo.url, token);
    const ack = await visitor.say('hi from the Redis demo');
    const reply = await visitor.reply(ack.seq ?? 0);
    expect(reply.text).toContain('Hi Ann!');
    await visitor.close();

    const entries = await demo.threadline.users.get(DEMO_USER.id).thread();
    expect(entries.some((entry) => entry.text === 'hi from the Redis demo')).toBe(true);
    // Written through the store, checked through Redis itself.
    const client = createClient({ url: REDIS_URL });
    await client.connect();
    const keys: string[] = [];
    for await (const batch of client.scanIterator({ MATCH: `${DEMO_REDIS_PREFIX}*`, COUNT: 500 })) {
      keys.push(...batch);
    }
    await client.close();
    expect(keys.length).toBeGreaterThan(0);
  });
});
