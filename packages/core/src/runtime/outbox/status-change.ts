import type { Delivery } from '../../store/deliveries';
import type { RuntimeContext } from '../context';

/** Tells listeners a delivery moved (once per actual change). */
export function reportStatusChange(ctx: RuntimeContext, before: Delivery, after: Delivery): void {
  if (before.status === after.status) return;
  ctx.events.emit('delivery.status', {
    deliveryId: after.id,
    status: after.status,
    previous: before.status,
    channel: after.channel,
    ...(after.userId === undefined ? {} : { userId: after.userId }),
    ...(after.error === undefined ? {} : { error: after.error }),
  });
}
