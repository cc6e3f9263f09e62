import {
  type BatchOutcome,
  checkDuration,
  type Delivery,
  type DeliveryCreated,
  type NewDelivery,
  NotFoundError,
  StoreError,
} from '@threadline/core';
import type { Database } from './database';
import { createBatchSql } from './delivery-batch-sql';
import { deliveryColumns, toDelivery } from './delivery-rows';
import { jsonParam, type Row, timeParam } from './rows';
import { toEntry } from './threads';

/**
 * How many times an item whose idempotency key conflicted, but whose first delivery was gone by
 * the time we looked (erased in between), is tried again before it fails: as `create` does.
 */
const RACE_ATTEMPTS = 2;

/**
 * A JSON `\u0000` escape that is not itself an escaped backslash: PostgreSQL cannot store NUL in
 * text or jsonb, and one such item would fail the whole statement. It fails alone instead.
 */
const NUL_ESCAPE = /(?<!\\)(?:\\\\)*\\u0000/;

/** One item of the statement's `$1` array, as JSON text (validated: it throws for this item alone). */
function batchItem(input: NewDelivery, i: number, id: string, now: Date): string {
  const { lease, threadEntry: entry } = input;
  if (lease !== undefined) checkDuration(lease.ms, 'lease.ms', 'lease');
  if (entry !== undefined && input.threadId === undefined) {
    throw new NotFoundError('thread', '(no threadId)');
  }
  const text = jsonParam(
    {
      i,
      id,
      channel: input.channel,
      adapter_id: input.adapterId,
      recipient: input.recipient,
      payload: input.payload,
      origin: input.origin,
      agent_id: input.agentId ?? null,
      user_id: input.userId ?? null,
      thread_id: input.threadId ?? null,
      idempotency_key: input.idempotencyKey ?? null,
      template_name: input.templateName ?? null,
      // Created already claimed: the creator's own first attempt counts like a claimDue one.
      attempts: lease === undefined ? 0 : 1,
      next_attempt_at: timeParam(input.nextAttemptAt),
      lease_owner: lease?.owner ?? null,
      lease_expires_at: lease === undefined ? null : timeParam(new Date(now.getTime() + lease.ms)),
      entry:
        entry === undefined
          ? null
          : {
              direction: entry.direction,
              at: timeParam(entry.at),
              text: entry.text,
              channel: entry.channel,
              adapter_id: entry.adapterId,
              provider_message_id: entry.providerMessageId,
              parts: entry.parts,
              media: entry.media,
              metadata: entry.metadata,
            },
    },
    'delivery',
  ) as string;
  if (NUL_ESCAPE.test(text)) {
    throw new StoreError('Postgres store: a delivery cannot hold a NUL character (\\u0000)', {
      code: 'store_failed',
    });
  }
  return text;
}

function ok(value: DeliveryCreated): BatchOutcome<DeliveryCreated> {
  return { ok: true, value };
}

function failed(error: unknown): BatchOutcome<DeliveryCreated> {
  return { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
}

/**
 * `deliveries.createMany` on PostgreSQL: a batch is one statement (see {@link createBatchSql}),
 * so one round trip and one transaction, all of it or none. Items are handled as creates one
 * after another would handle them: an item that fails its checks fails alone before any SQL; a
 * repeat of a key earlier in the batch is answered from the earlier item (or, if that one failed,
 * goes in the next round as a first); a key taken before the batch costs one more statement,
 * which reads the deliveries that hold those keys.
 *
 * @example
 * ```ts
 * const outcomes = await store.deliveries.createMany([first, second]); // one statement
 * ```
 */
export function createDeliveryBatches(db: Database): {
  createMany(inputs: readonly NewDelivery[]): Promise<BatchOutcome<DeliveryCreated>[]>;
} {
  const n = db.names;
  const sql = createBatchSql(n);

  async function byKeys(keys: string[]): Promise<Map<string, Delivery>> {
    const rows = await db.query(
      'deliveries.createMany',
      `SELECT ${deliveryColumns(n)} FROM ${n.deliveries} d WHERE d.idempotency_key = ANY($1::text[])`,
      [keys],
    );
    return new Map(rows.map((row) => [String(row.idempotency_key), toDelivery(row)]));
  }

  /** One statement over `pending`; answers what it can and returns the items for the next round. */
  async function round(
    inputs: readonly NewDelivery[],
    pending: number[],
    outcomes: BatchOutcome<DeliveryCreated>[],
    races: Map<number, number>,
  ): Promise<number[]> {
    const now = db.now();
    const firstOfKey = new Map<string, number>();
    const repeats: number[] = [];
    const batch: number[] = [];
    const items: string[] = [];
    for (const index of pending) {
      const input = inputs[index] as NewDelivery;
      const key = input.idempotencyKey;
      if (key !== undefined) {
        if (firstOfKey.has(key)) {
          repeats.push(index);
          continue;
        }
        firstOfKey.set(key, index);
      }
      try {
        items.push(batchItem(input, batch.length, db.generateId(), now));
        batch.push(index);
      } catch (error) {
        outcomes[index] = failed(error);
      }
    }
    const rows =
      items.length === 0
        ? []
        : await db.query('deliveries.createMany', sql, [`[${items.join(',')}]`, timeParam(now)]);
    const missed = batch.filter((_, i) => rows[i]?.id === null || rows[i]?.id === undefined);
    const keys = missed.flatMap((index) => inputs[index]?.idempotencyKey ?? []);
    const taken = keys.length === 0 ? new Map<string, Delivery>() : await byKeys(keys);
    const next: number[] = [];
    batch.forEach((index, i) => {
      const row = rows[i] as Row;
      const input = inputs[index] as NewDelivery;
      const first =
        input.idempotencyKey === undefined ? undefined : taken.get(input.idempotencyKey);
      if (row.id !== null && row.id !== undefined) {
        const delivery = toDelivery(row);
        const entry = row.entry === null ? undefined : toEntry(row.entry as Row);
        outcomes[index] = ok(
          entry === undefined ? { delivery, created: true } : { delivery, created: true, entry },
        );
      } else if (first !== undefined) {
        // A repeated create never takes the lease: the first creator may be sending it now.
        outcomes[index] = ok({ delivery: first, created: false });
      } else if (input.threadEntry !== undefined && row.thread_found !== true) {
        outcomes[index] = failed(new NotFoundError('thread', input.threadId ?? '(no threadId)'));
      } else {
        // The key's first delivery was erased between our conflict and our read of it.
        const raced = (races.get(index) ?? 0) + 1;
        races.set(index, raced);
        if (raced < RACE_ATTEMPTS) next.push(index);
        else
          outcomes[index] = failed(
            new StoreError(
              'Postgres store: deliveries.createMany lost a race with an erasure; try again',
              { code: 'store_conflict', retryable: true },
            ),
          );
      }
    });
    for (const index of repeats) {
      const firstIndex = firstOfKey.get(inputs[index]?.idempotencyKey as string) as number;
      const earlier = outcomes[firstIndex];
      if (earlier?.ok === true) {
        outcomes[index] = ok({ delivery: structuredClone(earlier.value.delivery), created: false });
      } else {
        next.push(index);
      }
    }
    return next.sort((a, b) => a - b);
  }

  return {
    async createMany(inputs) {
      const outcomes: BatchOutcome<DeliveryCreated>[] = new Array(inputs.length);
      const races = new Map<number, number>();
      let pending = inputs.map((_, index) => index);
      while (pending.length > 0) pending = await round(inputs, pending, outcomes, races);
      return outcomes;
    },
  };
}
