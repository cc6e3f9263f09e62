import type { BackgroundWork } from '../background-work';
import { type ListenOptions, listen, type RunningServer } from './server';
import type { SseHub } from './sse';

/** The start/stop/url part every HTTP emulator exposes. */
export interface ServerLifecycle {
  /** The running server's `http://host:port`; throws when it is not running. */
  url(): string;
  /** Starts listening; a second call while running does nothing, a call after `stop` throws. */
  start(): Promise<void>;
  /** Aborts background work (webhook retries), closes SSE streams, waits, then closes the server. */
  stop(): Promise<void>;
}

/** What {@link createServerLifecycle} needs. */
export interface ServerLifecycleOptions extends ListenOptions {
  /** Names the emulator in errors, e.g. `'WhatsApp'`. */
  name: string;
  work: Pick<BackgroundWork, 'abort' | 'idle'>;
  hub: Pick<SseHub, 'closeAll'>;
}

/**
 * The start-once, stop-for-good server life of an emulator. Stopping is final so that a test
 * cannot restart an emulator whose background work was already aborted.
 *
 * @example
 * ```ts
 * const life = createServerLifecycle({ name: 'Twilio', host: '127.0.0.1', port: 0, handler, work, hub });
 * await life.start();
 * await fetch(`${life.url()}/phone`);
 * await life.stop();
 * ```
 */
export function createServerLifecycle(options: ServerLifecycleOptions): ServerLifecycle {
  let server: RunningServer | undefined;
  let stopped = false;
  return {
    url() {
      if (server === undefined) {
        throw new Error(
          `The ${options.name} emulator is not running: await emulator.start() first`,
        );
      }
      return server.url;
    },
    async start() {
      if (stopped) throw new Error(`This ${options.name} emulator was stopped; create a new one`);
      if (server !== undefined) return;
      server = await listen({ host: options.host, port: options.port, handler: options.handler });
    },
    async stop() {
      stopped = true;
      options.work.abort();
      options.hub.closeAll();
      await options.work.idle();
      await server?.close();
    },
  };
}
