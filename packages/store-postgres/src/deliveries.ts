import {
  checkDuration,
  DELIVERY_LIST_PAGE,
  type Delivery,
  type DeliveryStore,
  type NewDelivery,
  NotFoundError,
  pageSize,
  StoreError,
  type ThreadEntry,
} from '@threadline/core';
import type { Database } from './database';
import { createDeliveryLease } from './delivery-lease';
import { deliveryColumns, readDelivery, toDelivery } from './delivery-rows';
import { createDeliveryWork } from './delivery-work';
import type { Queryable } from './driver/driver';
import { jsonParam, timeParam } from './rows';
import { insertEntry } from './threads';

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

  async function byKey(operation: string, key: string): Promise<Delivery | null> {
    const [row] = await db.query(
      operation,
      `SELECT ${columns} FROM ${n.deliveries} d WHERE d.idempotency_key = $1`,
      [key],
    );
    return row === undefined ? null : toDelivery(row);
  }

  async function insert(q: Queryable, input: NewDelivery): Promise<Delivery | null> {
    const now = db.now();
    const lease = input.lease;
    // The delivery and its first event in one statement: there is never a delivery without its
    // `queued` step, and an idempotency-key conflict inserts neither. The new row comes back with
    // that one event, so a create is one round trip (no read after it).
    const [row] = await q.query(
      `WITH created AS (
         INSERT INTO ${n.deliveries} (id, channel, adapter_id, recipient, payload, origin, agent_id,
           user_id, thread_id, idempotency_key, template_name, status, attempts, next_attempt_at,
           lease_owner, lease_expires_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9, $10, $11, 'queued', $12, $13, $14, $15, $16, $16)
         ON CONFLICT (idempotency_key) DO NOTHING RETURNING *),
       event AS (
         INSERT INTO ${n.deliveryEvents} (delivery_id, status, at, source)
         SELECT id, 'queued', $16, 'dispatcher' FROM created)
       SELECT d.*, jsonb_build_array(jsonb_build_object(
           'status', 'queued', 'at', d.created_at, 'source', 'dispatcher')) AS events
       FROM created d`,
      [
        db.generateId(),
        input.channel,
        input.adapterId,
        input.recipient,
        jsonParam(input.payload),
        input.origin,
        input.agentId ?? null,
        input.userId ?? null,
        input.threadId ?? null,
        input.idempotencyKey ?? null,
        input.templateName ?? null,
        // Created already claimed: the creator's own first attempt counts like a claimDue one.
        lease === undefined ? 0 : 1,
        timeParam(input.nextAttemptAt),
        lease?.owner ?? null,
        lease === undefined ? null : timeParam(new Date(now.getTime() + lease.ms)),
        timeParam(now),
      ],
    );
    return row === undefined ? null : toDelivery(row);
  }

  /**
   * The delivery, and with `threadEntry` its thread entry in the same transaction: an unknown
   * thread rolls the delivery back. `null` on an idempotency-key conflict (nothing written).
   */
  async function insertWithEntry(
    input: NewDelivery,
  ): Promise<{ delivery: Delivery; entry?: ThreadEntry } | null> {
    const { threadEntry, threadId } = input;
    if (threadEntry === undefined) {
      const delivery = await insert(db.bound('deliveries.create'), input);
      return delivery === null ? null : { delivery };
    }
    if (threadId === undefined) throw new NotFoundError('thread', '(no threadId)');
    return db.transaction('deliveries.create', async (tx) => {
      const delivery = await insert(tx, input);
      if (delivery === null) return null;
      const entry = await insertEntry(tx, n, threadId, { ...threadEntry, deliveryId: delivery.id });
      return { delivery, entry };
    });
  }

  return {
    async create(input) {
      if (input.lease !== undefined) checkDuration(input.lease.ms, 'lease.ms', 'lease');
      // Twice at most: the first delivery with the key could be erased between our conflict and
      // our read of it, and then this create may make the delivery after all.
      for (let attempt = 0; attempt < 2; attempt += 1) {
        const made = await insertWithEntry(input);
        if (made !== null) return { ...made, created: true };
        if (input.idempotencyKey !== undefined) {
          // A repeated create never takes the lease: the first creator may be sending it now.
          const first = await byKey('deliveries.create', input.idempotencyKey);
          if (first !== null) return { delivery: first, created: false };
        }
      }
      throw new StoreError(
        'Postgres store: deliveries.create lost a race with an erasure; try again',
        {
          code: 'store_conflict',
          retryable: true,
        },
      );
    },

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

    ...createDeliveryWork(db),
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
