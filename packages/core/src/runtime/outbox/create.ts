import type { DeliveryCreated, NewDelivery } from '../../store/deliveries';
import type { RuntimeContext } from '../context';
import { GroupCommit } from './group-commit';

/** Writes one delivery (with its thread entry, when it has one) and resolves with what was made. */
export type CreateDelivery = (input: NewDelivery) => Promise<DeliveryCreated>;

/**
 * How the runtime creates deliveries: through a {@link GroupCommit} over the store's
 * `deliveries.createMany` when the store has it (sends issued in one tick share one write, so on
 * a database throughput grows with concurrency instead of with the pool size), else with
 * `deliveries.create`, one write each, as before. `outbox.groupCommitMax: 1` turns grouping off.
 */
export function createDeliveryWriter(ctx: RuntimeContext): CreateDelivery {
  const { deliveries } = ctx.store;
  const maxBatch = ctx.options.outbox.groupCommitMax;
  const createMany = deliveries.createMany?.bind(deliveries);
  if (createMany === undefined || maxBatch <= 1) return (input) => deliveries.create(input);
  const batches = new GroupCommit({ maxBatch, writeMany: createMany });
  return (input) => batches.submit(input);
}
