import type { Delivery, NewDelivery } from '../../store/deliveries';
import type { DeliveryCompletion, DeliveryCreated } from '../../store/delivery-batch';
import type { RuntimeContext } from '../context';
import { GroupCommit } from '../group-commit';

/** The outbox writes on a send's path, grouped with the others of the same tick where they can be. */
export interface OutboxWrites {
  /** `deliveries.create`: the delivery, with its thread entry when it has one. */
  create(input: NewDelivery): Promise<DeliveryCreated>;
  /** `deliveries.complete`: the provider took it (`null` when the lease was lost). */
  complete(id: string, completion: DeliveryCompletion): Promise<Delivery | null>;
}

/**
 * Group commit for the outbox: creates go through `deliveries.createMany` and completes through
 * `deliveries.completeMany` when the store has them, each behind a {@link GroupCommit}, so the
 * sends that reach that step in one tick share one write (on a database, throughput then grows
 * with concurrency instead of with the pool size). A store without them gets `create` and
 * `complete`, one write each, as before. `outbox.groupCommitMax: 1` turns grouping off.
 */
export function createOutboxWrites(ctx: RuntimeContext): OutboxWrites {
  const { deliveries } = ctx.store;
  const maxBatch = ctx.options.outbox.groupCommitMax;
  const createMany = maxBatch > 1 ? deliveries.createMany?.bind(deliveries) : undefined;
  const completeMany = maxBatch > 1 ? deliveries.completeMany?.bind(deliveries) : undefined;
  const creates = createMany && new GroupCommit({ maxBatch, writeMany: createMany });
  const completes =
    completeMany &&
    new GroupCommit<{ id: string; completion: DeliveryCompletion }, Delivery | null>({
      maxBatch,
      writeMany: completeMany,
    });
  return {
    create: (input) => (creates ? creates.submit(input) : deliveries.create(input)),
    complete: (id, completion) =>
      completes ? completes.submit({ id, completion }) : deliveries.complete(id, completion),
  };
}
