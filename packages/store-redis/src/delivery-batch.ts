import {
  type BatchOutcome,
  checkDuration,
  type DeliveryCreated,
  type DeliveryStore,
  NotFoundError,
  ValidationError,
} from '@threadline/core';
import { batchArguments } from './batch-scripts';
import type { RedisContext } from './context';
import { COMPLETE, completeArguments } from './delivery-complete';
import { CREATE, createArguments, toCreated } from './delivery-create';
import {
  type Appended,
  appendOwedMany,
  type OwedEntry,
  prepareOwedEntry,
  settleOwed,
  undoCreate,
} from './delivery-entries';
import { outboxKeys, toDelivery } from './delivery-records';

const asError = (error: unknown) => (error instanceof Error ? error : new Error(String(error)));

/** What `create` would reject for this input alone; anything else (Redis is away) fails the batch. */
const refusesItem = (error: unknown) =>
  error instanceof ValidationError || error instanceof NotFoundError;

/** An input checked and ready for the create script. */
interface Ready {
  index: number;
  id: string;
  owed: OwedEntry | null;
}

/**
 * Every owed entry appended, one script per thread (their seqs consecutive, in input order),
 * the threads' scripts sent together; a failed script is tried once more, as `create` does.
 */
async function appendAll(
  ctx: RedisContext,
  owed: OwedEntry[],
): Promise<Map<string, Appended | Error>> {
  const byThread = new Map<string, OwedEntry[]>();
  for (const item of owed)
    byThread.set(item.threadId, [...(byThread.get(item.threadId) ?? []), item]);
  const answers = new Map<string, Appended | Error>();
  await Promise.all(
    [...byThread].map(async ([threadId, items]) => {
      const append = () => appendOwedMany(ctx, 'deliveries.createMany', threadId, items);
      try {
        const appended = await append().catch(append);
        items.forEach((item, index) => {
          answers.set(item.deliveryId, appended[index] ?? { status: 'gone' });
        });
      } catch (error) {
        for (const item of items) answers.set(item.deliveryId, asError(error));
      }
    }),
  );
  return answers;
}

/**
 * `deliveries.createMany` and `completeMany` (group commit). The outbox is one hash slot, so a
 * batch's creates are one script (`CREATE.many`: each input as `create`'s script, in input order,
 * nothing between them) and its completes another. The thread entries live in each user's slot:
 * the threads are checked before (one command each, sent together) and the entries appended
 * after, one script per thread, with the same owed-entry rule as `create` (see
 * `delivery-entries.ts`): a delivery is never handed out before its entry is in its thread.
 */
export function createDeliveryBatch(
  ctx: RedisContext,
): Required<Pick<DeliveryStore, 'createMany' | 'completeMany'>> {
  const base = ctx.keys.outbox;
  const keys = outboxKeys(base);

  return {
    async createMany(inputs) {
      const outcomes: BatchOutcome<DeliveryCreated>[] = new Array(inputs.length);
      // Checked first, as `create` checks before it writes: a refused input writes nothing.
      const checked = await Promise.all(
        inputs.map(async (input, index): Promise<Ready | Error> => {
          try {
            if (input.lease !== undefined) checkDuration(input.lease.ms, 'lease.ms');
            const id = ctx.generateId();
            const { threadEntry: entry } = input;
            const owed =
              entry === undefined
                ? null
                : await prepareOwedEntry(ctx, { deliveryId: id, threadId: input.threadId, entry });
            return { index, id, owed };
          } catch (error) {
            if (refusesItem(error)) return asError(error);
            throw error;
          }
        }),
      );
      // A later input with the key of a refused one shares its refusal, as calls in turn would
      // (the refused create wrote nothing, the repeat would be refused for its own reason; here
      // the contract gives it the earlier input's outcome).
      const refusedKeys = new Map<string, Error>();
      const ready: Ready[] = [];
      checked.forEach((item, index) => {
        const key = inputs[index]?.idempotencyKey;
        const earlier = key === undefined ? undefined : refusedKeys.get(key);
        if (earlier !== undefined) outcomes[index] = { ok: false, error: earlier };
        else if (item instanceof Error) {
          outcomes[index] = { ok: false, error: item };
          if (key !== undefined) refusedKeys.set(key, item);
        } else ready.push(item);
      });
      if (ready.length === 0) return outcomes;

      const replies = await ctx.conn.run(
        'deliveries.createMany',
        CREATE.many,
        keys,
        batchArguments(
          [base],
          ready.map(({ index, id, owed }) =>
            createArguments(ctx, { input: inputs[index] as (typeof inputs)[number], id, owed }),
          ),
        ),
      );
      const answers = Array.isArray(replies) ? replies : [];
      const made = ready.map((item, position) => ({
        ...item,
        ...toCreated(answers[position] ?? null),
      }));
      const owed = made.flatMap((item) => (item.created && item.owed !== null ? [item.owed] : []));
      const appended = owed.length === 0 ? new Map() : await appendAll(ctx, owed);

      await Promise.all(
        made.map(async ({ index, id, delivery, created }) => {
          const answer = appended.get(id);
          if (!created || answer === undefined) {
            outcomes[index] = { ok: true, value: { delivery, created } };
          } else if (answer instanceof Error) {
            // As `create` rejects when its append fails twice: the delivery owes its entry and
            // a claim appends it before anyone sends it.
            outcomes[index] = { ok: false, error: answer };
          } else if (answer.status !== 'appended') {
            await undoCreate(ctx, id);
            outcomes[index] = {
              ok: false,
              error: new NotFoundError('thread', delivery.threadId ?? '(no threadId)'),
            };
          } else {
            if (inputs[index]?.lease === undefined) await settleOwed(ctx, id);
            outcomes[index] = { ok: true, value: { delivery, created, entry: answer.entry } };
          }
        }),
      );
      return outcomes;
    },

    async completeMany(items) {
      const now = String(ctx.clock.now());
      const outcomes: BatchOutcome<ReturnType<typeof toDelivery>>[] = new Array(items.length);
      const ready: { index: number; args: string[] }[] = [];
      items.forEach((item, index) => {
        try {
          ready.push({ index, args: completeArguments(item.id, item.completion, now) });
        } catch (error) {
          if (!refusesItem(error)) throw error;
          outcomes[index] = { ok: false, error: asError(error) };
        }
      });
      if (ready.length === 0) return outcomes;
      const replies = await ctx.conn.run(
        'deliveries.completeMany',
        COMPLETE.many,
        keys,
        batchArguments(
          [base],
          ready.map((item) => item.args),
        ),
      );
      const answers = Array.isArray(replies) ? replies : [];
      ready.forEach((item, position) => {
        outcomes[item.index] = { ok: true, value: toDelivery(answers[position] ?? null) };
      });
      return outcomes;
    },
  };
}
