import { ThreadlineError } from '../../errors/threadline-error';
import type { SendResult } from '../../message/outbound';
import type { Delivery } from '../../store/deliveries';
import type { RuntimeContext } from '../context';
import type { OutboxWrites } from './writes';

/**
 * Records a successful provider send on the delivery (`complete`, through `writes`: with the
 * other sends of this tick where the store has `completeMany`), retrying a retryable store
 * failure after each of `outbox.recordRetryDelaysMs` (real time: the provider call is not repeated,
 * so a short database outage must not turn into a second message). Returns the updated delivery, `null` when the lease was lost (another instance owns
 * it), or throws the last store error once the retries are spent (the lease then expires and the
 * message may be sent again: at-least-once, and the logs say so).
 */
export async function recordSent(
  ctx: RuntimeContext,
  writes: Pick<OutboxWrites, 'complete'>,
  delivery: Delivery,
  result: SendResult,
): Promise<Delivery | null> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await writes.complete(delivery.id, {
        owner: ctx.instanceId,
        providerMessageId: result.providerMessageId,
        // Every part of a split message, so receipts for the 2nd+ part find this delivery too.
        ...(result.providerMessageIds === undefined
          ? {}
          : { providerMessageIds: result.providerMessageIds }),
        status: result.status ?? 'accepted',
        at: new Date(ctx.clock.now()),
      });
    } catch (error) {
      const retryable = error instanceof ThreadlineError && error.retryable;
      const delay = ctx.options.outbox.recordRetryDelaysMs[attempt];
      if (!retryable || delay === undefined) {
        ctx.logger.error(
          { err: error, deliveryId: delivery.id, providerMessageId: result.providerMessageId },
          'sent, but could not record it; the delivery may be sent again when its lease expires',
        );
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
