import type { RuntimeContext } from '../context';
import type { Dispatcher } from '../outbox/dispatcher';
import { fromStoredPayload } from '../outbox/payload';

/**
 * The user wrote again on a channel, so its window is open: every message held for them there is
 * released exactly once (the store hands each to one caller), recorded to the thread now (the
 * moment it is actually sent, after the user's message), made due, and dispatched.
 */
export async function releaseHeld(
  ctx: RuntimeContext,
  dispatcher: Dispatcher,
  input: { userId: string; channel: string },
): Promise<number> {
  const held = await ctx.store.held.release(input);
  if (held.length === 0) return 0;
  const now = new Date(ctx.clock.now());
  for (const message of held) {
    const delivery = await ctx.store.deliveries.get(message.deliveryId);
    if (delivery?.status !== 'queued') continue;
    const payload = fromStoredPayload(delivery.payload);
    if (payload.held && delivery.threadId !== undefined) {
      await ctx.store.threads.append(delivery.threadId, {
        direction: 'outbound',
        at: now,
        text: payload.threadText ?? payload.text ?? '',
        channel: delivery.channel,
        adapterId: delivery.adapterId,
        deliveryId: delivery.id,
        metadata: { heldSince: message.heldAt.toISOString() },
      });
    }
    await ctx.store.deliveries.schedule(delivery.id, now);
  }
  ctx.background.track(
    dispatcher
      .runDue()
      .catch((error: unknown) =>
        ctx.reportError(error, { phase: 'dispatch', userId: input.userId }),
      ),
  );
  return held.length;
}
