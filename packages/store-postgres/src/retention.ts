import type { Database } from './database';
import { timeParam } from './rows';

/** Overflow pub/sub messages are read within moments of their NOTIFY; an hour is generous. */
export const PUBSUB_OVERFLOW_RETENTION_MS = 60 * 60_000;

const DAY_MS = 24 * 60 * 60_000;

/** What one {@link cleanup} removed. */
export interface CleanupReport {
  /** Dedupe claims whose TTL had passed. */
  dedupeKeys: number;
  /** Leases that had expired (an expired lease is free either way; this only reclaims space). */
  leases: number;
  /** Delivery events older than the retention, each delivery's latest kept. */
  deliveryEvents: number;
  /** Oversized pub/sub messages older than an hour. */
  pubsubMessages: number;
}

/**
 * Deletes what has outlived its use: expired dedupe claims and leases, delivery history older
 * than `deliveryEventsDays` (keeping each delivery's latest event, so its last step stays
 * visible; the status itself lives on the delivery), and old pub/sub overflow rows. Each is its
 * own statement, so a large clean-up never holds locks across tables; expiry is judged by the
 * injected clock, like everything else. Safe to run on every instance at once.
 *
 * @example
 * ```ts
 * // Once an hour, on one instance at a time: a Threadline job does exactly that.
 * threadline.jobs.define({
 *   name: 'store-cleanup',
 *   schedule: { type: 'interval', seconds: 3600 },
 *   async execute() { await store.cleanup(); },
 * });
 * ```
 */
export async function cleanup(
  db: Database,
  input: { now: Date; deliveryEventsDays: number },
): Promise<CleanupReport> {
  const n = db.names;
  const now = input.now.getTime();
  const removed = async (operation: string, sql: string, params: unknown[]) => {
    const [row] = await db.query(
      operation,
      `WITH gone AS (${sql} RETURNING 1) SELECT count(*)::int AS n FROM gone`,
      params,
    );
    return Number(row?.n ?? 0);
  };
  const at = (ms: number) => timeParam(new Date(ms));
  return {
    dedupeKeys: await removed('cleanup.dedupe', `DELETE FROM ${n.dedupe} WHERE expires_at <= $1`, [
      at(now),
    ]),
    leases: await removed('cleanup.leases', `DELETE FROM ${n.leases} WHERE expires_at <= $1`, [
      at(now),
    ]),
    deliveryEvents: await removed(
      'cleanup.deliveryEvents',
      `DELETE FROM ${n.deliveryEvents} e WHERE e.at < $1 AND e.ord < (
         SELECT max(x.ord) FROM ${n.deliveryEvents} x WHERE x.delivery_id = e.delivery_id)`,
      [at(now - input.deliveryEventsDays * DAY_MS)],
    ),
    pubsubMessages: await removed(
      'cleanup.pubsub',
      `DELETE FROM ${n.pubsubOverflow} WHERE created_at < $1`,
      [at(now - PUBSUB_OVERFLOW_RETENTION_MS)],
    ),
  };
}
