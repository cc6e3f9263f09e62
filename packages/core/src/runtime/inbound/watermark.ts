import type { ChannelAdapter } from '../../adapter/contract';
import type { EmitReceipt, WatermarkStatusEvent } from '../../events/inbound-events';
import { canAdvanceStatus } from '../../message/status';
import { DELIVERY_LIST_MAX_LIMIT, type Delivery } from '../../store/deliveries';
import type { RuntimeContext } from '../context';
import { reportStatusChange } from '../outbox/status-change';
import { senderAddress } from './resolve';

/**
 * Receipts by watermark (Messenger's `delivery` and `read`): one event moves every delivery to
 * that user up to the watermark forward, instead of one delivery found by its message id.
 * Source: https://developers.facebook.com/docs/messenger-platform/reference/webhook-events/message-reads
 */

/** When the provider took a delivery: its first `accepted` (or `sent`) step. */
function sentAt(delivery: Delivery): number | undefined {
  const step = delivery.events.find((e) => e.status === 'accepted' || e.status === 'sent');
  return step?.at.getTime();
}

/**
 * Applies a watermark receipt: every delivery from `event.adapterId` to `event.address` that the
 * provider took at or before `event.watermark` and that the status moves forward (see
 * `canAdvanceStatus`) advances to `event.status`. Reads the user's newest deliveries on the
 * channel (one page, `DELIVERY_LIST_MAX_LIMIT`): older ones were covered by earlier watermarks.
 * `recorded` says whether any delivery moved.
 */
export async function applyWatermark(
  ctx: RuntimeContext,
  adapter: ChannelAdapter,
  event: WatermarkStatusEvent,
): Promise<EmitReceipt> {
  const address = senderAddress(adapter, { address: event.address });
  const identity = await ctx.store.identities.get({ channel: event.channel, address });
  if (identity === null) return { recorded: false };
  const deliveries = await ctx.store.deliveries.list({
    userId: identity.userId,
    channel: event.channel,
    limit: DELIVERY_LIST_MAX_LIMIT,
  });
  const watermark = event.watermark.getTime();
  const covered = deliveries.filter((delivery) => {
    const at = sentAt(delivery);
    return (
      delivery.adapterId === event.adapterId &&
      delivery.recipient === address &&
      at !== undefined &&
      at <= watermark &&
      canAdvanceStatus(delivery.status, event.status)
    );
  });
  let moved = 0;
  for (const delivery of covered) {
    const { delivery: updated, changed } = await ctx.store.deliveries.updateStatus(delivery.id, {
      status: event.status,
      at: event.timestamp,
      source: 'provider',
      detail: `watermark ${event.watermark.toISOString()}`,
    });
    if (changed) {
      moved += 1;
      reportStatusChange(ctx, delivery, updated);
    }
  }
  ctx.events.emit('event.received', { event, userId: identity.userId });
  return { recorded: moved > 0, userId: identity.userId };
}
