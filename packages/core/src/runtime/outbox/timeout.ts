import type { ChannelAdapter } from '../../adapter/contract';
import { SendTimeoutError } from '../../errors/send-timeout';

/**
 * Runs one provider call with `outbox.sendTimeoutMs`: at the deadline the call's signal is
 * aborted with a {@link SendTimeoutError} (so an adapter that passes it to `fetch` stops its
 * request) and the outbox stops waiting with that error, whether or not the adapter honoured the
 * signal. The timer is cleared as soon as the call settles.
 */
export async function sendWithTimeout<T>(
  adapter: ChannelAdapter,
  timeoutMs: number,
  call: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new SendTimeoutError({
        adapterId: adapter.id,
        provider: adapter.provider,
        timeoutMs,
      });
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    return await Promise.race([call(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
