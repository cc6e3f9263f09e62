import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports';

/**
 * A PostgreSQL server of the fault suite's own, in a temporary directory, for the scenarios that
 * stop, restart or kill the database: the shared server on 5432 serves every other test file and
 * must never be restarted under them.
 */
export interface PrivatePostgres {
  readonly port: number;
  /** `postgres://…` for the database `postgres` as the current OS user. */
  readonly url: string;
  /** `pg_ctl stop -m immediate`: every backend dies at once, as a crash or a failover does. */
  stop(): void;
  start(): void;
  /** Stops the server and deletes its directory. */
  destroy(): void;
}

/** Where Debian keeps each major version's binaries (`postgresql-NN` packages). */
const DEBIAN_BIN_ROOT = '/usr/lib/postgresql';

/** Debian's binaries of the newest installed version, or undefined when there are none. */
export function findPostgresBinaries(): string | undefined {
  if (!existsSync(DEBIAN_BIN_ROOT)) return undefined;
  const versions = readdirSync(DEBIAN_BIN_ROOT)
    .filter((name) => existsSync(join(DEBIAN_BIN_ROOT, name, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  const newest = versions[0];
  return newest === undefined ? undefined : join(DEBIAN_BIN_ROOT, newest, 'bin');
}

/** initdb refuses to run as root; under root the server runs as `postgres`. */
function asUser(): { user: string; prefix: string[] } {
  if (process.getuid?.() !== 0) return { user: process.env.USER ?? 'postgres', prefix: [] };
  return { user: 'postgres', prefix: ['runuser', '-u', 'postgres', '--'] };
}

function run(prefix: string[], command: string, args: string[]): void {
  const [program, ...rest] = [...prefix, command, ...args] as [string, ...string[]];
  const result = spawnSync(program, rest, { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr || result.stdout}`);
  }
}

/** initdb into a fresh temporary directory and start the server on a free port. */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = findPostgresBinaries();
  if (bin === undefined) throw new Error(`no PostgreSQL binaries under ${DEBIAN_BIN_ROOT}`);
  const { user, prefix } = asUser();
  const dir = mkdtempSync(join(tmpdir(), 'threadline-fault-pg-'));
  const data = join(dir, 'data');
  if (prefix.length > 0) execFileSync('chown', ['-R', `${user}:${user}`, dir]);
  run(prefix, join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', user, '--no-sync']);
  const port = await freePort();
  const ctl = (args: string[]) => run(prefix, join(bin, 'pg_ctl'), ['-D', data, ...args]);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  const start = () => ctl(['-o', options, '-l', join(dir, 'log'), '-w', 'start']);
  start();
  let running = true;
  return {
    port,
    url: `postgres://${user}@127.0.0.1:${port}/postgres`,
    stop() {
      ctl(['-m', 'immediate', '-w', 'stop']);
      running = false;
    },
    start() {
      start();
      running = true;
    },
    destroy() {
      if (running) ctl(['-m', 'immediate', '-w', 'stop']);
      running = false;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
