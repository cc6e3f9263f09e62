import { setMaxListeners } from 'node:events';

/**
 * Calls of {@link callWithTimeout} that start within this many milliseconds of each other, with
 * the same timeout and the same caller signal, share one timer and one `AbortController`. An
 * `AbortController` (its signal is a transferable `EventTarget` in Node 20), a timer and a listener
 * on the caller's signal per HTTP call were a measurable part of a send's CPU at hundreds of sends
 * per second; a burst now pays for them once. Each call's deadline moves later by at most this
 * much, never earlier.
 */
export const CALL_DEADLINE_WINDOW_MS = 10;

/** The abort reason of a call past its timeout, as `AbortSignal.timeout` would give it. */
function timeoutReason(): DOMException {
  return new DOMException('The operation was aborted due to timeout', 'TimeoutError');
}

/** One shared deadline: aborted at its timeout or when the callers' signal aborts. */
interface Deadline {
  readonly opensAt: number;
  readonly timeoutMs: number;
  readonly controller: AbortController;
  readonly timer: ReturnType<typeof setTimeout>;
  readonly outer: AbortSignal | undefined;
  readonly onAbort: (() => void) | undefined;
  /** Calls that have not settled yet; at zero the timer and the listener go. */
  running: number;
}

/** The open deadline per caller signal; calls without one share `unsignalled`. */
const byOuter = new WeakMap<AbortSignal, Deadline>();
let unsignalled: Deadline | undefined;

function current(outer: AbortSignal | undefined): Deadline | undefined {
  return outer === undefined ? unsignalled : byOuter.get(outer);
}

function forget(deadline: Deadline): void {
  if (deadline.outer === undefined) {
    if (unsignalled === deadline) unsignalled = undefined;
  } else if (byOuter.get(deadline.outer) === deadline) {
    byOuter.delete(deadline.outer);
  }
}

function open(outer: AbortSignal | undefined, timeoutMs: number, now: number): Deadline {
  const controller = new AbortController();
  // Every call of the window hands this signal to `fetch`, which listens on it: many listeners
  // are expected, not a leak.
  setMaxListeners(0, controller.signal);
  const timer = setTimeout(() => {
    forget(deadline);
    controller.abort(timeoutReason());
  }, timeoutMs + CALL_DEADLINE_WINDOW_MS);
  const onAbort = outer && (() => controller.abort(outer.reason));
  outer?.addEventListener('abort', onAbort as () => void, { once: true });
  const deadline: Deadline = {
    opensAt: now,
    timeoutMs,
    controller,
    timer,
    outer,
    onAbort,
    running: 0,
  };
  if (outer === undefined) unsignalled = deadline;
  else byOuter.set(outer, deadline);
  return deadline;
}

/**
 * The signal one HTTP call runs under: aborted `timeoutMs` after it starts (up to
 * {@link CALL_DEADLINE_WINDOW_MS} later, never sooner) or when `outer` aborts, with the same
 * reasons a per-call `AbortController` would give. Call `done` once the call has settled.
 */
export function joinDeadline(
  outer: AbortSignal | undefined,
  timeoutMs: number,
): { signal: AbortSignal; done(): void } {
  const now = performance.now();
  const found = current(outer);
  const deadline =
    found !== undefined &&
    !found.controller.signal.aborted &&
    found.timeoutMs === timeoutMs &&
    now - found.opensAt < CALL_DEADLINE_WINDOW_MS
      ? found
      : open(outer, timeoutMs, now);
  deadline.running += 1;
  let settled = false;
  return {
    signal: deadline.controller.signal,
    done() {
      if (settled) return;
      settled = true;
      deadline.running -= 1;
      if (deadline.running > 0) return;
      clearTimeout(deadline.timer);
      if (deadline.onAbort) deadline.outer?.removeEventListener('abort', deadline.onAbort);
      forget(deadline);
    },
  };
}
