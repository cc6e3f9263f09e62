import { z } from 'zod';
import { parseInput } from '../errors/validation';
import { DELIVERY_STATUSES } from '../message/status';
import {
  DELIVERY_LIST_DEFAULT_LIMIT,
  DELIVERY_LIST_MAX_LIMIT,
  type Delivery,
} from '../store/deliveries';
import type { RuntimeContext } from './context';
import type { Dispatcher } from './outbox/dispatcher';

const ListSchema = z
  .object({
    userId: z.string().min(1).optional(),
    status: z.enum(DELIVERY_STATUSES).optional(),
    channel: z.string().min(1).optional(),
    since: z
      .union([z.date(), z.iso.datetime({ offset: true })])
      .transform((value) => new Date(value))
      .optional(),
    limit: z
      .number()
      .int()
      .min(1)
      .max(DELIVERY_LIST_MAX_LIMIT)
      .default(DELIVERY_LIST_DEFAULT_LIMIT),
  })
  .strict();

/**
 * `threadline.deliveries`: where every message stands.
 *
 * @example
 * ```ts
 * const { deliveryId } = await threadline.channels.send({ … });
 * const delivery = await threadline.deliveries.get(deliveryId); // status, events[], error, providerMessageId
 * ```
 */
export interface DeliveriesApi {
  get(id: string): Promise<Delivery | null>;
  /** Newest first; filter by user, status, channel, creation time; `limit` 1..200 (default 50). */
  list(query?: z.input<typeof ListSchema>): Promise<Delivery[]>;
  /** Puts a failed or expired delivery back in the outbox, due now, and attempts it. */
  retry(id: string): Promise<Delivery | null>;
}

export function createDeliveriesApi(ctx: RuntimeContext, dispatcher: Dispatcher): DeliveriesApi {
  return {
    get: (id) => ctx.store.deliveries.get(id),
    list: (query = {}) =>
      ctx.store.deliveries.list(parseInput(ListSchema, query, 'delivery query')),
    async retry(id) {
      const delivery = await ctx.store.deliveries.retry(id, new Date(ctx.clock.now()));
      if (delivery) await dispatcher.runDue();
      return delivery ? ctx.store.deliveries.get(id) : null;
    },
  };
}
