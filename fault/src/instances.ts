import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { waitFor } from '@threadline/testkit';
import { INSTANCE_CONFIG_ENV, type InstanceConfig } from './instance-config';

const script = fileURLToPath(new URL('../bin/instance.ts', import.meta.url));
/**
 * tsx as a loader in the one Node process (`--import`), not its CLI: the CLI runs the script in
 * a child process of its own, which a SIGKILL of the CLI would leave running.
 */
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** How long a runtime process may take to start (tsx compiles it first; the machine is loaded). */
export const START_TIMEOUT_MS = 30_000;

/** A runtime in its own process (see `bin/instance.ts`), its output lines and how it ended. */
export interface Instance {
  readonly child: ChildProcess;
  readonly lines: string[];
  readonly stderr: string[];
  /** The webhook server's port (0 without `serve`). */
  port: number;
  /** Resolves with the exit code (null after a signal). */
  readonly exited: Promise<number | null>;
  /** True once the process ended without being told to stop or killed by the scenario. */
  crashed(): boolean;
  /** The first error line the process printed on stderr (why it crashed), if any. */
  crashReason(): string | undefined;
  ready(): Promise<void>;
  /** Waits for `line` (or the process's end), failing after `timeoutMs`. */
  waitForLine(line: string, timeoutMs?: number): Promise<void>;
  command(line: string): void;
  /** SIGKILL: no cleanup, no lease given back. */
  kill9(): Promise<void>;
  /** `stop` on stdin; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export function startInstance(config: InstanceConfig): Instance {
  const child = spawn(
    process.execPath,
    ['--conditions=@threadline/source', '--import', tsxLoader, script],
    {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, [INSTANCE_CONFIG_ENV]: JSON.stringify(config) },
    },
  );
  const lines: string[] = [];
  const stderr: string[] = [];
  let ended: 'running' | 'expected' | 'exited' = 'running';
  child.stdout?.on('data', (chunk) => lines.push(...String(chunk).split('\n').filter(Boolean)));
  child.stderr?.on('data', (chunk) => stderr.push(String(chunk)));
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      if (ended === 'running') ended = 'exited';
      resolve(code);
    }),
  );
  const instance: Instance = {
    child,
    lines,
    stderr,
    port: 0,
    exited,
    crashed: () => ended === 'exited',
    crashReason: () =>
      stderr
        .join('')
        .split('\n')
        .find((line) => /\w+Error\b.*: /.test(line) && !line.includes('new '))
        ?.trim(),
    async ready() {
      await waitFor(
        () => lines.some((line) => line.startsWith('ready ')) || ended !== 'running',
        `${config.instanceId} to start`,
        START_TIMEOUT_MS,
      );
      const line = lines.find((l) => l.startsWith('ready '));
      if (line === undefined)
        throw new Error(`${config.instanceId} did not start: ${stderr.join('')}`);
      instance.port = Number(line.slice(6));
    },
    async waitForLine(wanted, timeoutMs = START_TIMEOUT_MS) {
      await waitFor(
        () => lines.includes(wanted) || ended !== 'running',
        `${config.instanceId} to print ${wanted}`,
        timeoutMs,
      );
      if (!lines.includes(wanted))
        throw new Error(`${config.instanceId} ended: ${stderr.join('')}`);
    },
    command: (line) => child.stdin?.write(`${line}\n`),
    async kill9() {
      ended = 'expected';
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (ended !== 'running') return exited;
      ended = 'expected';
      child.stdin?.write('stop\n');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
  return instance;
}
