import type { StatusEvent } from '../../events/inbound-events';
import type { DeliveryFailure } from '../../store/deliveries';
import type { RuntimeContext } from '../context';
import { reportStatusChange } from '../outbox/status-change';

/** Resolves after `ms`, or at once (with `false`) when `signal` is aborted. */
function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (completed: boolean) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(completed);
    };
    const onAbort = () => done(false);
    const timer = setTimeout(() => done(true), ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function failureOf(event: StatusEvent): DeliveryFailure | undefined {
  if (!event.error) return undefined;
  const { category, providerCode, title, detail } = event.error;
  return {
    category,
    code: providerCode ?? category,
    message: detail ?? title ?? 'failed',
    retryable: false,
    ...(providerCode === undefined ? {} : { providerCode }),
    ...(title === undefined ? {} : { title }),
  };
}

/**
 * Applies a provider receipt to its delivery, forward only (a late `sent` never undoes `read`).
 * Returns `false` when no delivery has that provider id (yet). With `retry`, looks again after each
 * of `inbound.receiptRetryDelaysMs` (a fast receipt can arrive before the send's response was
 * recorded), stops waiting when the runtime stops, and tells the host with `receipt.unmatched`.
 *
 * A message the adapter split into several provider messages is one delivery, found by any
 * part's id, and every part's receipt is applied to it by the same rule: the delivery stands at
 * the furthest status any part reported (part 2 `delivered` makes it `delivered` even if part 1
 * is only `sent`), and a `failed` part fails the whole delivery with that part's error, since the
 * user did not get the whole message. Only `read` stays: `canAdvanceStatus` never fails a
 * delivery that was read, so such a failure is logged instead.
 */
export async function applyStatus(
  ctx: RuntimeContext,
  event: StatusEvent,
  options: { retry?: boolean } = {},
): Promise<boolean> {
  const delays = options.retry ? ctx.options.inbound.receiptRetryDelaysMs : [];
  let reason: 'not_found' | 'stopped' = 'not_found';
  let attempt = 0;
  for (; ; attempt += 1) {
    const delivery = await ctx.store.deliveries.findByProviderMessageId({
      adapterId: event.adapterId,
      providerMessageId: event.providerMessageId,
    });
    if (delivery) {
      const error = failureOf(event);
      const { delivery: updated, changed } = await ctx.store.deliveries.updateStatus(delivery.id, {
        status: event.status,
        at: event.timestamp,
        source: 'provider',
        ...(error === undefined ? {} : { error }),
        ...(event.pricing === undefined ? {} : { pricing: event.pricing }),
      });
      if (changed) reportStatusChange(ctx, delivery, updated);
      else if (event.status === 'failed' && updated.status === 'read') {
        ctx.logger.warn(
          {
            deliveryId: delivery.id,
            providerMessageId: event.providerMessageId,
            ...(error === undefined ? {} : { error }),
          },
          'failed receipt for a delivery already read; it stays read',
        );
      }
      return true;
    }
    const delay = delays[attempt];
    if (delay === undefined) break;
    if (!(await pause(delay, ctx.background.signal))) {
      reason = 'stopped';
      break;
    }
  }
  if (options.retry) {
    const { adapterId, channel, providerMessageId, status, timestamp } = event;
    ctx.logger.warn(
      { adapterId, providerMessageId, status, reason },
      'receipt for an unknown message',
    );
    ctx.events.emit('receipt.unmatched', {
      adapterId,
      channel,
      providerMessageId,
      status,
      timestamp,
      attempts: attempt + 1,
      reason,
    });
  }
  return false;
}
