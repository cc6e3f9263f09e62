import {
  DELIVERY_LIST_PAGE,
  type Delivery,
  type DeliveryStore,
  pageSize,
  StoreError,
} from '@threadline/core';
import type { Database } from './database';
import { createDeliveryBatches } from './delivery-batch';
import { createDeliveryCompletions } from './delivery-completions';
import { createDeliveryLease } from './delivery-lease';
import { deliveryColumns, readDelivery, toDelivery } from './delivery-rows';
import { createDeliveryWork } from './delivery-work';
import { timeParam } from './rows';

/**
 * The outbox, in `deliveries` with its history in `delivery_events`. A delivery is written before
 * any provider call; instances claim due ones with `FOR UPDATE SKIP LOCKED` under a lease, so a
 * crash between "written" and "sent" loses nothing, and the unique `idempotency_key` makes
 * concurrent creates with one key create one delivery.
 *
 * @example
 * ```ts
 * const { delivery } = await store.deliveries.create({ channel: 'sms', adapterId: 'twilio', recipient: '+447700900123',
 *   payload: { text: 'hi' }, origin: 'send', idempotencyKey: 'order-42', nextAttemptAt: new Date() });
 * const [claimed] = await store.deliveries.claimDue({ owner: 'instance-a', limit: 10, leaseMs: 30_000 });
 * ```
 */
export function createDeliveryStore(db: Database): DeliveryStore {
  const n = db.names;
  const columns = deliveryColumns(n);
  const batches = createDeliveryBatches(db);
  const work = createDeliveryWork(db);

  async function byKey(operation: string, key: string): Promise<Delivery | null> {
    const [row] = await db.query(
      operation,
      `SELECT ${columns} FROM ${n.deliveries} d WHERE d.idempotency_key = $1`,
      [key],
    );
    return row === undefined ? null : toDelivery(row);
  }

  return {
    // One statement, the entry included: a create is a batch of one (see delivery-batch.ts).
    async create(input) {
      const [outcome] = await batches.createMany([input]);
      if (outcome === undefined) throw new StoreError('Postgres store: create answered nothing');
      if (!outcome.ok) throw outcome.error;
      return outcome.value;
    },

    createMany: batches.createMany,

    get: (id) => readDelivery(db.bound('deliveries.get'), n, id),

    getByIdempotencyKey: (key) => byKey('deliveries.getByIdempotencyKey', key),

    async findByProviderMessageId({ adapterId, providerMessageId }) {
      // The first id of any delivery, or any id of a split one: each side has its own index
      // (deliveries_provider_id_idx, deliveries_part_ids_idx) and the planner ORs the two.
      const [row] = await db.query(
        'deliveries.findByProviderMessageId',
        `SELECT ${columns} FROM ${n.deliveries} d
         WHERE d.adapter_id = $1
           AND (d.provider_message_id = $2 OR d.provider_message_ids @> ARRAY[$2::text])
         ORDER BY d.updated_at DESC, d.ord DESC LIMIT 1`,
        [adapterId, providerMessageId],
      );
      return row === undefined ? null : toDelivery(row);
    },

    async list(query = {}) {
      const limit = pageSize(query.limit, { ...DELIVERY_LIST_PAGE, path: 'limit' });
      const params: unknown[] = [limit];
      const where: string[] = [];
      const filter = (sql: string, value: unknown) => {
        params.push(value);
        where.push(sql.replace('?', `$${params.length}`));
      };
      if (query.userId !== undefined) filter('d.user_id = ?', query.userId);
      if (query.status !== undefined) filter('d.status = ?', query.status);
      if (query.channel !== undefined) filter('d.channel = ?', query.channel);
      if (query.since !== undefined) filter('d.created_at >= ?', timeParam(query.since));
      // Newest first; among equal creation times, the later created first.
      const rows = await db.query(
        'deliveries.list',
        `SELECT ${columns} FROM ${n.deliveries} d
         WHERE ${where.length === 0 ? 'true' : where.join(' AND ')}
         ORDER BY d.created_at DESC, d.ord DESC LIMIT $1`,
        params,
      );
      return rows.map(toDelivery);
    },

    ...work,
    ...createDeliveryCompletions(db, work.complete),
    ...createDeliveryLease(db),

    async outboxStats() {
      const [row] = await db.query<{ due: number; oldest: Date | null }>(
        'deliveries.outboxStats',
        `SELECT count(*)::int AS due, min(next_attempt_at) AS oldest FROM ${n.deliveries}
          WHERE status = 'queued' AND next_attempt_at <= $1`,
        [db.now()],
      );
      return { due: Number(row?.due ?? 0), oldestDueAt: row?.oldest ? new Date(row.oldest) : null };
    },
  };
}
