import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@redis/client';
import { waitFor } from '@threadline/testkit';

/** A free TCP port on 127.0.0.1 (the kernel picks it; it is free again once we close). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Whether a Redis answers PING on `url`. */
async function answers(url: string): Promise<boolean> {
  const client = createClient({ url, socket: { reconnectStrategy: false, connectTimeout: 500 } });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    if (client.isOpen) await client.close();
  }
}

/** A `redis-server` of a test's own, on its own port: killed and restarted at will. */
export interface ThrowawayRedis {
  readonly url: string;
  /** Kills the server at once (SIGKILL: no shutdown save, as in a crash). */
  kill(): Promise<void>;
  /** Starts it again on the same port and data directory, and waits until it answers. */
  start(): Promise<void>;
  /** Kills it and removes its data directory. */
  dispose(): Promise<void>;
}

/**
 * Starts `redis-server` (from PATH) on a free port with `args` (persistence flags), its data in a
 * fresh temporary directory, and waits until it answers.
 */
export async function startThrowawayRedis(args: readonly string[]): Promise<ThrowawayRedis> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'tl-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;

  async function start(): Promise<void> {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, ...args],
      { stdio: 'ignore' },
    );
    await waitFor(() => answers(url), `redis-server on port ${port}`, 20_000);
  }

  async function kill(): Promise<void> {
    const running = child;
    child = undefined;
    if (running === undefined || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  }

  await start();
  return {
    url,
    kill,
    start,
    async dispose() {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** No persistence at all: what the shared test server runs with. */
export const NO_PERSISTENCE = ['--save', '', '--appendonly', 'no'];

/** Every write reaches the append-only file before Redis answers it. */
export const AOF_ALWAYS = ['--save', '', '--appendonly', 'yes', '--appendfsync', 'always'];
