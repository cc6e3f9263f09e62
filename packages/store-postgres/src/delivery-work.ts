import {
  checkCount,
  checkDuration,
  completedProviderIds,
  type DeliveryStore,
  NotFoundError,
} from '@threadline/core';
import type { Database } from './database';
import { deliveryColumns, readDelivery, toDelivery } from './delivery-rows';
import { jsonParam, timeParam } from './rows';

type Work = Pick<
  DeliveryStore,
  'claimDue' | 'complete' | 'reschedule' | 'fail' | 'schedule' | 'updateStatus' | 'retry'
>;

/**
 * Work on deliveries under a lease: claiming, finishing, failing, and status receipts. Every
 * transition is one statement that checks its condition (the lease owner, the status rule in
 * `can_advance_status`) on the row it locks, so two instances can never both move one delivery,
 * and a receipt that arrives late never moves a status backwards. "Now" always comes from the
 * injected clock as a parameter.
 */
export function createDeliveryWork(db: Database): Work {
  const n = db.names;
  const can = n.canAdvance;
  const events = n.deliveryEvents;

  /** Reads the delivery a statement changed, or `null` when it changed none. */
  async function after(operation: string, rows: Array<Record<string, unknown>>) {
    const id = rows[0]?.id;
    return id === undefined ? null : readDelivery(db.bound(operation), n, String(id));
  }

  return {
    async claimDue({ owner, limit, leaseMs }) {
      checkCount(limit, 'limit', 'delivery claim');
      checkDuration(leaseMs, 'leaseMs', 'lease');
      const now = db.now();
      // SKIP LOCKED: rows another instance is claiming right now are passed over rather than
      // waited for, and its commit makes them leased, so no delivery goes to two callers.
      const rows = await db.query(
        'deliveries.claimDue',
        `WITH due AS (
           SELECT id FROM ${n.deliveries}
           WHERE status = 'queued' AND next_attempt_at <= $1
             AND (lease_expires_at IS NULL OR lease_expires_at <= $1)
           ORDER BY next_attempt_at, ord LIMIT $2
           FOR UPDATE SKIP LOCKED),
         claimed AS (
           UPDATE ${n.deliveries} t SET lease_owner = $3, lease_expires_at = $4,
             attempts = t.attempts + 1, updated_at = $1
           FROM due WHERE t.id = due.id RETURNING t.*)
         SELECT ${deliveryColumns(n)} FROM claimed d ORDER BY d.next_attempt_at, d.ord`,
        [timeParam(now), limit, owner, timeParam(new Date(now.getTime() + leaseMs))],
      );
      return rows.map(toDelivery);
    },

    async complete(id, input) {
      const { owner, providerMessageId, status, at } = input;
      // NULL unless the message was split: then every id, so a receipt for any part finds it.
      // Always written, so a delivery sent again is known by its new ids only.
      const ids = completedProviderIds(input) ?? null;
      // A receipt may have beaten the send's own answer here; then the status stays where it is.
      const rows = await db.query(
        'deliveries.complete',
        `WITH old AS (SELECT id, status FROM ${n.deliveries} WHERE id = $1 FOR UPDATE),
         done AS (
           UPDATE ${n.deliveries} t SET provider_message_id = $3, provider_message_ids = $7::text[],
             status = CASE WHEN ${can}(old.status, $4) THEN $4 ELSE t.status END,
             lease_owner = NULL, lease_expires_at = NULL, next_attempt_at = NULL, error = NULL,
             updated_at = $6
           FROM old WHERE t.id = old.id AND t.lease_owner = $2
           RETURNING t.*, ${can}(old.status, $4) AS advanced),
         recorded AS (
           INSERT INTO ${events} (delivery_id, status, at, source)
           SELECT id, $4, $5, 'dispatcher' FROM done WHERE advanced)
         SELECT ${deliveryColumns(
           n,
           `CASE WHEN d.advanced THEN jsonb_build_array(jsonb_build_object(
              'status', $4::text, 'at', $5::timestamptz, 'source', 'dispatcher'))
            ELSE '[]'::jsonb END`,
         )} FROM done d`,
        [id, owner, providerMessageId, status, timeParam(at), timeParam(db.now()), ids],
      );
      // The delivery as it now is, in the same round trip (no read after the write).
      if (rows[0] !== undefined) return toDelivery(rows[0]);
      // The same complete again (its answer was lost with a dropped connection): it already
      // happened, so report the delivery rather than a lost lease.
      const repeated = await db.query(
        'deliveries.complete',
        `SELECT id FROM ${n.deliveries} WHERE id = $1 AND provider_message_id = $2
           AND lease_owner IS NULL AND status <> 'queued'`,
        [id, providerMessageId],
      );
      return after('deliveries.complete', repeated);
    },

    async reschedule(id, { owner, at, error }) {
      const rows = await db.query(
        'deliveries.reschedule',
        `UPDATE ${n.deliveries} SET next_attempt_at = $3, error = COALESCE($4::jsonb, error),
           lease_owner = NULL, lease_expires_at = NULL, updated_at = $5
         WHERE id = $1 AND status = 'queued' AND lease_owner = $2 RETURNING id`,
        [id, owner, timeParam(at), jsonParam(error), timeParam(db.now())],
      );
      return after('deliveries.reschedule', rows);
    },

    async fail(id, { owner, error, at, status = 'failed' }) {
      const rows = await db.query(
        'deliveries.fail',
        `WITH failed AS (
           UPDATE ${n.deliveries} SET status = $3, error = $4::jsonb, lease_owner = NULL,
             lease_expires_at = NULL, next_attempt_at = NULL, updated_at = $6
           WHERE id = $1 AND ($2::text IS NULL OR lease_owner = $2) AND ${can}(status, $3)
           RETURNING id),
         recorded AS (
           INSERT INTO ${events} (delivery_id, status, at, source, detail)
           SELECT id, $3, $5, $7, $8 FROM failed)
         SELECT id FROM failed`,
        [
          id,
          owner ?? null,
          status,
          jsonParam(error),
          timeParam(at),
          timeParam(db.now()),
          owner === undefined ? 'policy' : 'dispatcher',
          error.message,
        ],
      );
      return after('deliveries.fail', rows);
    },

    async schedule(id, at) {
      const rows = await db.query(
        'deliveries.schedule',
        `UPDATE ${n.deliveries} SET next_attempt_at = $2, updated_at = $3
         WHERE id = $1 AND status = 'queued' RETURNING id`,
        [id, timeParam(at), timeParam(db.now())],
      );
      return after('deliveries.schedule', rows);
    },

    async updateStatus(id, input) {
      // The row lock taken by `old` makes concurrent receipts take turns; each then checks the
      // rule against the status the previous one left. A report that does not move the status
      // still stores its pricing (`priced`): billing facts, such as Meta's on a late `delivered`
      // after `read`. `moved` and `priced` exclude each other, so the row is updated once.
      const [result] = await db.query(
        'deliveries.updateStatus',
        `WITH old AS (
           SELECT id, ${can}(status, $2) AS advances FROM ${n.deliveries} WHERE id = $1 FOR UPDATE),
         moved AS (
           UPDATE ${n.deliveries} t SET status = $2,
             error = COALESCE($6::jsonb, t.error), pricing = COALESCE($7::jsonb, t.pricing),
             lease_owner = CASE WHEN $2 IN ('failed', 'expired') THEN NULL ELSE t.lease_owner END,
             lease_expires_at = CASE WHEN $2 IN ('failed', 'expired') THEN NULL ELSE t.lease_expires_at END,
             next_attempt_at = CASE WHEN $2 IN ('failed', 'expired') THEN NULL ELSE t.next_attempt_at END,
             updated_at = $8
           FROM old WHERE t.id = old.id AND old.advances RETURNING t.id),
         priced AS (
           UPDATE ${n.deliveries} t SET pricing = $7::jsonb, updated_at = $8
           FROM old WHERE t.id = old.id AND NOT old.advances AND $7::jsonb IS NOT NULL),
         recorded AS (
           INSERT INTO ${events} (delivery_id, status, at, source, detail)
           SELECT id, $2, $3, $4, $5 FROM moved)
         SELECT (SELECT count(*) FROM old)::int AS found, (SELECT count(*) FROM moved)::int AS changed`,
        [
          id,
          input.status,
          timeParam(input.at),
          input.source,
          input.detail ?? null,
          jsonParam(input.error),
          jsonParam(input.pricing),
          timeParam(db.now()),
        ],
      );
      if (result === undefined || Number(result.found) === 0)
        throw new NotFoundError('delivery', id);
      const delivery = await readDelivery(db.bound('deliveries.updateStatus'), n, id);
      if (delivery === null) throw new NotFoundError('delivery', id);
      return { delivery, changed: Number(result.changed) === 1 };
    },

    async retry(id, at) {
      const now = timeParam(db.now());
      const rows = await db.query(
        'deliveries.retry',
        `WITH retried AS (
           UPDATE ${n.deliveries} SET status = 'queued', next_attempt_at = $2, lease_owner = NULL,
             lease_expires_at = NULL, updated_at = $3
           WHERE id = $1 AND status IN ('failed', 'expired') RETURNING id),
         recorded AS (
           INSERT INTO ${events} (delivery_id, status, at, source)
           SELECT id, 'queued', $3, 'host' FROM retried)
         SELECT id FROM retried`,
        [id, timeParam(at), now],
      );
      return after('deliveries.retry', rows);
    },
  };
}
