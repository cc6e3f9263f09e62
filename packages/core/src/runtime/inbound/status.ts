import type { StatusEvent } from '../../events/inbound-events';
import type { DeliveryFailure } from '../../store/deliveries';
import type { RuntimeContext } from '../context';
import { reportStatusChange } from '../outbox/status-change';

/** Real-time waits between lookups of a receipt whose delivery is not yet known. */
const RECEIPT_RETRY_DELAYS_MS = [100, 400, 1_500, 5_000];

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
 * Returns `false` when no delivery has that provider id (yet); with `retries`, looks again a few
 * times first, since a fast receipt can arrive before the send's response was recorded.
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
  options: { retries?: number } = {},
): Promise<boolean> {
  const retries = options.retries ?? 0;
  for (let attempt = 0; ; attempt += 1) {
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
    if (attempt >= retries) break;
    await new Promise((resolve) =>
      setTimeout(
        resolve,
        RECEIPT_RETRY_DELAYS_MS[Math.min(attempt, RECEIPT_RETRY_DELAYS_MS.length - 1)],
      ),
    );
  }
  if (retries > 0) {
    ctx.logger.warn(
      {
        adapterId: event.adapterId,
        providerMessageId: event.providerMessageId,
        status: event.status,
      },
      'receipt for an unknown message',
    );
  }
  return false;
}
