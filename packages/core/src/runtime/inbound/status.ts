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
