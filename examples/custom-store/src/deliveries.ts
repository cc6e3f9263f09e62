import {
  canAdvanceStatus,
  checkCount,
  checkDuration,
  completedProviderIds,
  DELIVERY_LIST_PAGE,
  type Delivery,
  type DeliveryEvent,
  type DeliveryStore,
  isTerminalStatus,
  NotFoundError,
  pageSize,
} from '@threadline/core';
import type { Param } from './database';
import { insertDelivery, readDelivery, setProviderIds } from './delivery-rows';
import type { StoreContext } from './rows';

const LIST_PAGE = { ...DELIVERY_LIST_PAGE, path: 'limit' };

/**
 * The outbox. Every transition reads the row, checks it (the lease owner, `canAdvanceStatus`) and
 * writes it back with no other call in between, so two callers can never both claim, complete or
 * fail one delivery, and a late receipt never moves a status backwards.
 */
export function createDeliveryStore(ctx: StoreContext): DeliveryStore {
  /** Writes the changed fields of `delivery` (its status, history, lease…) back to its row. */
  function save(delivery: Delivery): Delivery {
    delivery.updatedAt = new Date(ctx.clock.now());
    ctx.db.run(
      `UPDATE deliveries SET status = ?, attempts = ?, next_attempt_at = ?, lease_owner = ?,
         lease_expires_at = ?, provider_message_id = ?, provider_message_ids = ?, error = ?,
         pricing = ?, events = ?, updated_at = ? WHERE id = ?`,
      [
        delivery.status,
        delivery.attempts,
        delivery.nextAttemptAt?.getTime() ?? null,
        delivery.lease?.owner ?? null,
        delivery.lease?.expiresAt.getTime() ?? null,
        delivery.providerMessageId,
        json(delivery.providerMessageIds),
        json(delivery.error),
        json(delivery.pricing),
        JSON.stringify(delivery.events),
        delivery.updatedAt.getTime(),
        delivery.id,
      ],
    );
    return delivery;
  }

  function record(delivery: Delivery, event: DeliveryEvent): void {
    delivery.status = event.status;
    delivery.events.push(event);
  }

  /** The delivery if `owner` holds its lease. An expired lease nobody re-took still counts. */
  function leased(id: string, owner: string): Delivery | null {
    const delivery = readDelivery(ctx, id);
    return delivery?.lease?.owner === owner ? delivery : null;
  }

  return {
    async create(input) {
      if (input.lease !== undefined) checkDuration(input.lease.ms, 'lease.ms');
      return ctx.db.transaction(() => {
        // A repeated key returns the first delivery and never takes its lease: the first
        // creator may be sending it right now.
        const existing =
          input.idempotencyKey === undefined ? null : findByKey(input.idempotencyKey);
        if (existing !== null) return { delivery: existing, created: false };
        return { delivery: insertDelivery(ctx, input), created: true };
      });
    },

    async get(id) {
      return readDelivery(ctx, id);
    },

    async getByIdempotencyKey(key) {
      return findByKey(key);
    },

    async findByProviderMessageId({ adapterId, providerMessageId }) {
      const row = ctx.db.get(
        'SELECT delivery_id FROM provider_ids WHERE adapter_id = ? AND provider_message_id = ?',
        [adapterId, providerMessageId],
      );
      return row === undefined ? null : readDelivery(ctx, row.delivery_id as string);
    },

    async list(query = {}) {
      const limit = pageSize(query.limit, LIST_PAGE);
      // A filter that is absent matches every row: `(? IS NULL OR column = ?)`.
      const filters: Array<[string, Param]> = [
        ['user_id', query.userId],
        ['status', query.status],
        ['channel', query.channel],
      ];
      const rows = ctx.db.all(
        `SELECT id FROM deliveries WHERE ${filters
          .map(([column]) => `(? IS NULL OR ${column} = ?)`)
          .join(' AND ')} AND (? IS NULL OR created_at >= ?)
         ORDER BY created_at DESC, rowid DESC LIMIT ?`,
        [
          ...filters.flatMap(([, value]) => [value, value]),
          query.since?.getTime(),
          query.since?.getTime(),
          limit,
        ],
      );
      return rows.map((row) => readDelivery(ctx, row.id as string) as Delivery);
    },

    async claimDue({ owner, limit, leaseMs }) {
      checkCount(limit, 'limit', 'delivery query');
      checkDuration(leaseMs, 'leaseMs');
      const now = ctx.clock.now();
      return ctx.db.transaction(() => {
        const due = ctx.db.all(
          `SELECT id FROM deliveries WHERE status = 'queued' AND next_attempt_at <= ?
             AND (lease_owner IS NULL OR lease_expires_at <= ?)
           ORDER BY next_attempt_at, rowid LIMIT ?`,
          [now, now, limit],
        );
        return due.map((row) => {
          const delivery = readDelivery(ctx, row.id as string) as Delivery;
          delivery.lease = { owner, expiresAt: new Date(now + leaseMs) };
          delivery.attempts += 1;
          return save(delivery);
        });
      });
    },

    async outboxStats() {
      const row = ctx.db.get(
        `SELECT COUNT(*) AS due, MIN(next_attempt_at) AS oldest FROM deliveries
         WHERE status = 'queued' AND next_attempt_at <= ?`,
        [ctx.clock.now()],
      );
      const oldest = row?.oldest;
      return {
        due: (row?.due as number | undefined) ?? 0,
        oldestDueAt: oldest === null || oldest === undefined ? null : new Date(oldest as number),
      };
    },

    async complete(id, input) {
      const ids = completedProviderIds(input);
      return ctx.db.transaction(() => {
        // The same complete again (its first answer lost): it already happened, so report the
        // delivery, or a retrying dispatcher would take its own success for a lost lease.
        const current = readDelivery(ctx, id);
        if (
          current !== null &&
          current.lease === null &&
          current.status !== 'queued' &&
          current.providerMessageId === input.providerMessageId
        ) {
          return current;
        }
        const delivery = leased(id, input.owner);
        if (delivery === null) return null;
        // A delivery sent again is known by its new ids only: the old ones are dropped.
        delivery.providerMessageId = input.providerMessageId;
        if (ids === undefined) delete delivery.providerMessageIds;
        else delivery.providerMessageIds = ids;
        setProviderIds(ctx, delivery);
        // A receipt may have beaten the send's own answer here; then the status stays put.
        if (canAdvanceStatus(delivery.status, input.status)) {
          record(delivery, { status: input.status, at: input.at, source: 'dispatcher' });
        }
        delivery.lease = null;
        delivery.nextAttemptAt = null;
        delete delivery.error;
        return save(delivery);
      });
    },

    async reschedule(id, { owner, at, error }) {
      const delivery = leased(id, owner);
      if (delivery === null || delivery.status !== 'queued') return null;
      // `at: null` parks it (held behind a closed window) until `schedule` sets a time.
      delivery.nextAttemptAt = at;
      if (error !== undefined) delivery.error = error;
      delivery.lease = null;
      return save(delivery);
    },

    async fail(id, { owner, error, at, status = 'failed' }) {
      const delivery = owner === undefined ? readDelivery(ctx, id) : leased(id, owner);
      if (delivery === null || !canAdvanceStatus(delivery.status, status)) return null;
      record(delivery, {
        status,
        at,
        source: owner === undefined ? 'policy' : 'dispatcher',
        detail: error.message,
      });
      delivery.error = error;
      delivery.lease = null;
      delivery.nextAttemptAt = null;
      return save(delivery);
    },

    async schedule(id, at) {
      const delivery = readDelivery(ctx, id);
      if (delivery === null || delivery.status !== 'queued') return null;
      delivery.nextAttemptAt = at;
      return save(delivery);
    },

    async updateStatus(id, input) {
      const delivery = readDelivery(ctx, id);
      if (delivery === null) throw new NotFoundError('delivery', id);
      if (!canAdvanceStatus(delivery.status, input.status)) {
        if (input.pricing === undefined) return { delivery, changed: false };
        // Pricing is a billing fact, kept whatever the status: Meta sends it on a late
        // `delivered` that can arrive after `read`.
        delivery.pricing = input.pricing;
        return { delivery: save(delivery), changed: false };
      }
      const event: DeliveryEvent = { status: input.status, at: input.at, source: input.source };
      if (input.detail !== undefined) event.detail = input.detail;
      record(delivery, event);
      if (input.error !== undefined) delivery.error = input.error;
      if (input.pricing !== undefined) delivery.pricing = input.pricing;
      if (isTerminalStatus(input.status)) {
        delivery.lease = null;
        delivery.nextAttemptAt = null;
      }
      return { delivery: save(delivery), changed: true };
    },

    async retry(id, at) {
      const delivery = readDelivery(ctx, id);
      if (delivery === null || !isTerminalStatus(delivery.status)) return null;
      record(delivery, { status: 'queued', at: new Date(ctx.clock.now()), source: 'host' });
      delivery.nextAttemptAt = at;
      delivery.lease = null;
      return save(delivery);
    },
  };

  function findByKey(key: string): Delivery | null {
    const row = ctx.db.get('SELECT id FROM deliveries WHERE idempotency_key = ?', [key]);
    return row === undefined ? null : readDelivery(ctx, row.id as string);
  }
}

function json(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}
