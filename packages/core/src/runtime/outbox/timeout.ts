import { setMaxListeners } from 'node:events';
import type { ChannelAdapter } from '../../adapter/contract';
import { SendTimeoutError } from '../../errors/send-timeout';

/**
 * Calls of one adapter that start within this many milliseconds of each other share one deadline
 * timer and one `AbortSignal`. A timer, an `AbortController` and a `Promise.race` per call were a
 * tenth of a web chat send's CPU when a host sends to thousands of users at once (bench B5); a
 * burst now pays for them once. Each call's deadline moves later by at most this much, never
 * earlier.
 */
export const SEND_DEADLINE_WINDOW_MS = 10;

/** Calls that started in one window: their shared signal, timer, and who is still running. */
interface Window {
  opensAt: number;
  controller: AbortController;
  timer: ReturnType<typeof setTimeout>;
  /** How each running call of the window is failed at the deadline. */
  pending: Set<(error: unknown) => void>;
}

/**
 * Runs provider calls with `outbox.sendTimeoutMs`: at the deadline the call's signal is aborted
 * with a {@link SendTimeoutError} (so an adapter that passes it to `fetch` stops its request) and
 * the outbox stops waiting with that error, whether or not the adapter honoured the signal. Calls
 * of one adapter started within {@link SEND_DEADLINE_WINDOW_MS} share the timer and the signal:
 * their deadlines are the same instant, so aborting it aborts only calls that are all late. The
 * timer is cleared as soon as the window's last call settles.
 *
 * @example
 * ```ts
 * const deadlines = new SendDeadlines(30_000);
 * const sent = await deadlines.run(adapter, (signal) => adapter.send(envelope, { signal }));
 * ```
 */
export class SendDeadlines {
  readonly #timeoutMs: number;
  readonly #now: () => number;
  readonly #open = new Map<string, Window>();

  constructor(timeoutMs: number, now: () => number = () => performance.now()) {
    this.#timeoutMs = timeoutMs;
    this.#now = now;
  }

  run<T>(adapter: ChannelAdapter, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const window = this.#window(adapter);
    return new Promise<T>((resolve, reject) => {
      window.pending.add(reject);
      let running: Promise<T>;
      try {
        running = call(window.controller.signal);
      } catch (error) {
        running = Promise.reject(error);
      }
      // The call's own outcome settles it, unless the deadline rejected it first (then these
      // find it settled and change nothing). No closure per call beyond these two.
      running.then(
        (value) => {
          this.#settled(adapter.id, window, reject);
          resolve(value);
        },
        (error: unknown) => {
          this.#settled(adapter.id, window, reject);
          reject(error);
        },
      );
    });
  }

  /** One call of the window ended: the last one clears the timer. */
  #settled(adapterId: string, window: Window, pending: (error: unknown) => void): void {
    window.pending.delete(pending);
    if (window.pending.size === 0) this.#close(adapterId, window);
  }

  /** The adapter's window still taking calls, or a new one. */
  #window(adapter: ChannelAdapter): Window {
    const now = this.#now();
    const current = this.#open.get(adapter.id);
    if (current !== undefined && now - current.opensAt < SEND_DEADLINE_WINDOW_MS) return current;
    const controller = new AbortController();
    // Every call of the window may listen on this signal (an adapter's `fetch` does): many
    // listeners are expected, not a leak, so Node must not warn of one per window.
    setMaxListeners(0, controller.signal);
    const pending = new Set<(error: unknown) => void>();
    const timeoutMs = this.#timeoutMs;
    // The window's last call may start just before it closes: its deadline is counted from then.
    const timer = setTimeout(() => {
      if (this.#open.get(adapter.id) === window) this.#open.delete(adapter.id);
      const error = new SendTimeoutError({
        adapterId: adapter.id,
        provider: adapter.provider,
        timeoutMs,
      });
      controller.abort(error);
      for (const late of pending) late(error);
      pending.clear();
    }, timeoutMs + SEND_DEADLINE_WINDOW_MS);
    const window: Window = { opensAt: now, controller, timer, pending };
    this.#open.set(adapter.id, window);
    return window;
  }

  /** Every call of the window settled: no deadline left to keep. */
  #close(adapterId: string, window: Window): void {
    clearTimeout(window.timer);
    if (this.#open.get(adapterId) === window) this.#open.delete(adapterId);
  }
}
