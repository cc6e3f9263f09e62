import type { DeliveryCreateOutcome, DeliveryStore } from '@threadline/core';

/**
 * `deliveries.createMany` over the store's own `create`: every create is called before any is
 * awaited, and each runs synchronously to its end (nothing in it awaits), so the batch is one
 * step that no other call can interleave with, in input order, exactly as creates one after
 * another would be. A create that throws fails its own item only.
 */
export function withCreateMany(deliveries: DeliveryStore): DeliveryStore {
  const create = deliveries.create.bind(deliveries);
  return {
    ...deliveries,
    async createMany(inputs) {
      const settled = await Promise.allSettled(inputs.map((input) => create(input)));
      return settled.map(
        (result): DeliveryCreateOutcome =>
          result.status === 'fulfilled'
            ? { ok: true, value: result.value }
            : {
                ok: false,
                error:
                  result.reason instanceof Error ? result.reason : new Error(String(result.reason)),
              },
      );
    },
  };
}
