import type { BatchOutcome, DeliveryStore } from '@threadline/core';

/** Each call's answer as a batch outcome: its value, or the error it rejected with. */
export async function settle<T>(calls: Promise<T>[]): Promise<BatchOutcome<T>[]> {
  const settled = await Promise.allSettled(calls);
  return settled.map((result) =>
    result.status === 'fulfilled'
      ? { ok: true, value: result.value }
      : {
          ok: false,
          error: result.reason instanceof Error ? result.reason : new Error(String(result.reason)),
        },
  );
}

/**
 * `deliveries.createMany` and `completeMany` over the store's own `create` and `complete`: every
 * call is made before any is awaited, and each runs synchronously to its end (nothing in them
 * awaits), so a batch is one step that no other call can interleave with, in item order, exactly
 * as calls one after another would be. A call that throws fails its own item only.
 */
export function withBatches(deliveries: DeliveryStore): DeliveryStore {
  const create = deliveries.create.bind(deliveries);
  const complete = deliveries.complete.bind(deliveries);
  return {
    ...deliveries,
    createMany: (inputs) => settle(inputs.map((input) => create(input))),
    completeMany: (items) => settle(items.map((item) => complete(item.id, item.completion))),
  };
}
