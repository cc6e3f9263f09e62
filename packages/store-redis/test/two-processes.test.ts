import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { createClient } from '@redis/client';
import { createDueDeliveries, waitFor } from '@threadline/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisStore } from '../src/index';
import { deletePrefix, REDIS_URL, serverReachable, uniquePrefix } from './support/server';

const DELIVERIES = 500;
const script = fileURLToPath(new URL('./fixtures/dispatcher.ts', import.meta.url));
const tsx = createRequire(import.meta.url).resolve('tsx/cli');

/** A dispatcher in its own Node process, and its output as lines. */
function startDispatcher(keyPrefix: string, worker: string) {
  const child: ChildProcess = spawn(
    process.execPath,
    [tsx, '--conditions=@threadline/source', script, REDIS_URL, keyPrefix, worker],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines: string[] = [];
  child.stdout?.on('data', (chunk) => lines.push(...String(chunk).split('\n').filter(Boolean)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return {
    child,
    lines,
    exited,
    ready: () => waitFor(() => lines.includes('ready'), `${worker} to start`, 60_000),
  };
}

describe.runIf(serverReachable)('two Node processes dispatching from one Redis', () => {
  const keyPrefix = uniquePrefix('twoproc');
  const admin = createClient({ url: REDIS_URL });
  afterAll(async () => {
    if (admin.isOpen) await admin.close();
    await deletePrefix(keyPrefix);
  });

  it(`send each of ${DELIVERIES} deliveries exactly once between them`, {
    timeout: 150_000,
  }, async () => {
    await admin.connect();
    const store = createRedisStore({ url: REDIS_URL, keyPrefix, checkPersistence: false });
    const workers = [
      startDispatcher(keyPrefix, 'worker-a'),
      startDispatcher(keyPrefix, 'worker-b'),
    ];
    try {
      await Promise.all(workers.map((worker) => worker.ready()));
      // Both are polling before the first delivery exists, so they race for every one of them.
      const ids = await createDueDeliveries(store, DELIVERIES, () => new Date());
      await waitFor(
        async () => (await store.deliveries.list({ status: 'queued', limit: 1 })).length === 0,
        'every delivery to be sent',
        40_000,
      );
      for (const worker of workers) worker.child.stdin?.end('stop\n');
      expect(await Promise.all(workers.map((worker) => worker.exited))).toEqual([0, 0]);

      const totals = workers.map((worker) => JSON.parse(worker.lines.at(-1) ?? '{}'));
      // Checked through Redis itself: the log keeps every send, duplicates included.
      const sends = (await admin.lRange(`${keyPrefix}sent-log`, 0, -1)).map((line) => {
        const [id, worker] = line.split(' ');
        return { id: id ?? '', worker: worker ?? '' };
      });
      expect(sends).toHaveLength(DELIVERIES);
      expect(new Set(sends.map((send) => send.id))).toEqual(new Set(ids));
      for (const send of sends) {
        const delivery = await store.deliveries.get(send.id);
        expect(delivery).toMatchObject({
          status: 'sent',
          attempts: 1,
          providerMessageId: `${send.worker}:${send.id}`,
          lease: null,
        });
      }
      // Nothing is left in the due or in-flight sets.
      expect(await admin.zCard(`${keyPrefix}{o}:due`)).toBe(0);
      expect(await admin.zCard(`${keyPrefix}{o}:inflight`)).toBe(0);
      expect(totals.reduce((sum, total) => sum + total.completed, 0)).toBe(DELIVERIES);
      // Both processes really took part.
      for (const total of totals) expect(total.completed).toBeGreaterThan(0);
    } finally {
      for (const worker of workers) worker.child.kill();
      await store.close();
    }
  });
});
