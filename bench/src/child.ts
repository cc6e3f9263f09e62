import { fork } from 'node:child_process';
import { mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The processes under test run in child processes, so the load generator (autocannon, the socket
 * clients) never shares their event loop, and each baseline runs in a fresh process exactly like
 * the code it is compared with. A child is a TypeScript file run with the same loader as the
 * bench (`process.execArgv` carries tsx and `--conditions=@threadline/source`); parent and child
 * talk over the IPC channel: the child says `ready` once, then answers commands.
 */

const RESULTS = new URL('../results/', import.meta.url);

/** A child process running one side of a scenario. */
export interface BenchProcess<Ready> {
  readonly pid: number;
  /** What the child reported when it was ready (its port, for example). */
  readonly ready: Ready;
  /** Runs one of the child's commands and resolves with its answer. */
  call<T>(command: string, input?: unknown): Promise<T>;
  /**
   * Asks the child to exit, so `--cpu-prof` can write its profile, and kills it (by its pid) if it
   * has not gone within a few seconds.
   */
  close(): Promise<void>;
}

/** How to start a child. */
export interface StartOptions {
  /** The child's entry file, e.g. `new URL('./processes/webhook-server.ts', import.meta.url)`. */
  entry: URL;
  args?: string[];
  /** More node flags, e.g. `--expose-gc`. */
  nodeFlags?: string[];
  /** Profile the child with `node --cpu-prof`, written to `results/<name>.cpuprofile`. */
  profileName?: string;
  /** How long the child may take to say it is ready. */
  readyTimeoutMs?: number;
}

type Reply = { id: number; result?: unknown; error?: string };
type Message = { type: 'ready'; ready: unknown } | ({ type: 'reply' } & Reply);

/** Starts a child and waits for its `ready`. */
export function startProcess<Ready>(options: StartOptions): Promise<BenchProcess<Ready>> {
  // Every thread writes a profile (tsx's module hooks run on a worker thread of their own), so
  // they go to a directory of their own and only the main thread's is kept.
  const profileDir =
    options.profileName === undefined ? undefined : mkdtempSync(join(tmpdir(), 'bench-prof-'));
  const profile = profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`];
  const child = fork(fileURLToPath(options.entry), options.args ?? [], {
    execArgv: [...process.execArgv, ...(options.nodeFlags ?? []), ...profile],
    // The child's stdout goes to our stderr: stdout carries only the table.
    stdio: ['ignore', 2, 2, 'ipc'],
    serialization: 'advanced',
  });
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextId = 0;
  let exited = false;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  return new Promise((resolveReady, rejectReady) => {
    const timer = setTimeout(() => {
      rejectReady(new Error(`${options.entry.pathname} was not ready in time`));
      child.kill('SIGKILL');
    }, options.readyTimeoutMs ?? 30_000);
    child.once('exit', (code, signal) => {
      exited = true;
      clearTimeout(timer);
      const error = new Error(`${options.entry.pathname} exited (${signal ?? code})`);
      rejectReady(error);
      for (const call of pending.values()) call.reject(error);
      pending.clear();
    });
    child.on('message', (raw) => {
      const message = raw as Message;
      if (message.type === 'ready') {
        clearTimeout(timer);
        resolveReady(handle(message.ready as Ready));
        return;
      }
      const call = pending.get(message.id);
      pending.delete(message.id);
      if (message.error !== undefined) call?.reject(new Error(message.error));
      else call?.resolve(message.result);
    });
  });

  function handle(ready: Ready): BenchProcess<Ready> {
    return {
      pid: child.pid as number,
      ready,
      call<T>(command: string, input?: unknown): Promise<T> {
        if (exited) return Promise.reject(new Error('the child has exited'));
        const id = nextId++;
        return new Promise<T>((resolve, reject) => {
          pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
          child.send({ id, command, input });
        });
      },
      async close() {
        if (exited) return;
        child.send({ id: -1, command: 'exit' });
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([
          gone,
          new Promise<void>((resolve) => {
            timer = setTimeout(() => {
              if (!exited) process.kill(child.pid as number, 'SIGKILL');
              resolve();
            }, 10_000);
          }),
        ]);
        clearTimeout(timer);
        await gone;
        if (profileDir !== undefined) keepMainProfile(profileDir, options.profileName as string);
      },
    };
  }
}

/** The main thread's profile is the one with the most samples: the hooks thread is mostly idle. */
function keepMainProfile(directory: string, name: string): void {
  const files = readdirSync(directory)
    .map((file) => join(directory, file))
    .sort((a, b) => statSync(b).size - statSync(a).size);
  const main = files[0];
  if (main !== undefined) {
    const target = fileURLToPath(new URL(`${name}.cpuprofile`, RESULTS));
    renameSync(main, target);
    console.error(`profile written to ${target}`);
  }
  rmSync(directory, { recursive: true, force: true });
}

/** The child's side: announce `ready`, then answer commands until `exit`. */
export function serveCommands(
  ready: unknown,
  commands: Record<string, (input: never) => unknown>,
): void {
  process.on('message', (raw) => {
    const { id, command, input } = raw as { id: number; command: string; input: unknown };
    if (command === 'exit') {
      // process.exit lets --cpu-prof write the profile (a signal would not).
      process.exit(0);
    }
    const run = commands[command];
    Promise.resolve()
      .then(() => {
        if (run === undefined) throw new Error(`unknown command ${command}`);
        return run(input as never);
      })
      .then(
        (result) => process.send?.({ type: 'reply', id, result }),
        (error: unknown) =>
          process.send?.({
            type: 'reply',
            id,
            error: error instanceof Error ? (error.stack ?? error.message) : String(error),
          }),
      );
  });
  // The bench went away (a crash, ^C): nothing is left to answer to.
  process.on('disconnect', () => process.exit(0));
  process.send?.({ type: 'ready', ready });
}
