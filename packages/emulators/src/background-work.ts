import { setMaxListeners } from 'node:events';

/**
 * Tracks what an emulator does after answering a request (scheduled status webhooks, retries),
 * so tests can wait for it to settle and `stop()` can cancel it instead of leaking timers.
 */
export interface BackgroundWork {
  /** Runs `task` in the background and remembers it until it settles; a throw goes to `onError`. */
  run(task: (signal: AbortSignal) => Promise<void>): void;
  /** Waits `ms` of real time, or rejects with an `AbortError` once {@link BackgroundWork.abort} runs. */
  sleep(ms: number): Promise<void>;
  /** Resolves once nothing is running, including work started by work that was running. */
  idle(): Promise<void>;
  /** Cancels sleeps and in-flight requests; later `run` calls are ignored. */
  abort(): void;
  readonly signal: AbortSignal;
}

/**
 * Creates a {@link BackgroundWork}.
 *
 * @example
 * ```ts
 * const work = createBackgroundWork((error) => console.error(error));
 * work.run(async () => { await work.sleep(50); await postStatus('sent'); });
 * await work.idle();
 * ```
 */
export function createBackgroundWork(onError: (error: unknown) => void): BackgroundWork {
  const controller = new AbortController();
  const running = new Set<Promise<void>>();
  const { signal } = controller;
  // Every pending sleep and webhook listens for stop(); a busy test has far more than Node's
  // default of 10, which would print a false "possible leak" warning.
  setMaxListeners(0, signal);

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      function onAbort() {
        clearTimeout(timer);
        reject(signal.reason);
      }
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  return {
    signal,
    sleep,
    run(task) {
      if (signal.aborted) return;
      // Cancellation is the normal end of background work at stop(), not an error to report.
      const promise: Promise<void> = task(signal)
        .catch((error: unknown) => {
          if (!signal.aborted) onError(error);
        })
        .finally(() => running.delete(promise));
      running.add(promise);
    },
    async idle() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
    abort() {
      controller.abort(new DOMException('The emulator stopped', 'AbortError'));
    },
  };
}
