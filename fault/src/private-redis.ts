import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@redis/client';
import { waitFor } from '@threadline/testkit';
import { freePort } from './ports';

/**
 * A Redis server of the fault suite's own, for the restart scenario: the shared server on 6379
 * serves every other test file. It writes an append-only file fsynced on every write
 * (`appendfsync always`), the store README's setting for losing nothing, so a killed server
 * comes back with every acknowledged write.
 */
export interface PrivateRedis {
  readonly url: string;
  /** SIGKILL: the server dies mid-work, as a crash does. */
  stop(): Promise<void>;
  /** Starts it again on the same port and directory (it replays its append-only file). */
  start(): Promise<void>;
  destroy(): Promise<void>;
}

/** How long a Redis server may take to accept connections. */
const START_TIMEOUT_MS = 10_000;

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'threadline-fault-redis-'));
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let server: ChildProcess | undefined;
  const start = async () => {
    server = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--save',
        '',
      ],
      { stdio: 'ignore' },
    );
    await waitFor(
      async () => {
        const client = createClient({ url, socket: { reconnectStrategy: false } });
        client.on('error', () => undefined);
        try {
          await client.connect();
          await client.ping();
          return true;
        } catch {
          return false;
        } finally {
          if (client.isOpen) await client.quit();
        }
      },
      'the private Redis to accept connections',
      START_TIMEOUT_MS,
    );
  };
  const stop = async () => {
    const running = server;
    if (running === undefined || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    url,
    stop,
    start,
    async destroy() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
