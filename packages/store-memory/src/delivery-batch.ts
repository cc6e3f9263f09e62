import type { BatchOutcome, DeliveryStore } from '@threadline/core';

/** A rejection reason as the `Error` a batch outcome carries. */
const asError = (reason: unknown): Error =>
  reason instanceof Error ? reason : new Error(String(reason));

/**
 * Each call's answer as a batch outcome: its value, or the error it rejected with. The calls were
 * all made before this awaits any, so each ran to its end in order (see {@link withBatches}).
 */
export async function settle<T>(calls: Promise<T>[]): Promise<BatchOutcome<T>[]> {
  const settled = await Promise.allSettled(calls);
  return settled.map((result) =>
    result.status === 'fulfilled'
      ? { ok: true, value: result.value }
      : { ok: false, error: asError(result.reason) },
  );
}

/**
 * A batch of synchronous steps, in input order: each item's value, or the error it threw. One
 * step per item and no promise per item, so a batch of 100 sends' writes costs the store no
 * microtask turns (bench B5); what each step does is exactly what the single call does.
 *
 * @example
 * ```ts
 * createMany: async (inputs) => settleEach(inputs, createNow),
 * ```
 */
export function settleEach<I, T>(inputs: readonly I[], step: (input: I) => T): BatchOutcome<T>[] {
  return inputs.map((input): BatchOutcome<T> => {
    try {
      return { ok: true, value: step(input) };
    } catch (error) {
      return { ok: false, error: asError(error) };
    }
  });
}

/** What the delivery store runs synchronously, for its batch methods. */
export interface DeliverySteps {
  create: (
    input: Parameters<DeliveryStore['create']>[0],
  ) => Awaited<ReturnType<DeliveryStore['create']>>;
  complete: (item: {
    id: string;
    completion: Parameters<DeliveryStore['complete']>[1];
  }) => Awaited<ReturnType<DeliveryStore['complete']>>;
}

/**
 * `deliveries.createMany` and `completeMany` over the store's own synchronous `create` and
 * `complete` steps: a batch is one step that no other call can interleave with, in item order,
 * exactly as calls one after another would be. A step that throws fails its own item only.
 */
export function withBatches(deliveries: DeliveryStore, steps: DeliverySteps): DeliveryStore {
  return {
    ...deliveries,
    createMany: async (inputs) => settleEach(inputs, steps.create),
    completeMany: async (items) => settleEach(items, steps.complete),
  };
}
