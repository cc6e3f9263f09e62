import { checkDuration, type LeaseStore } from '@threadline/core';
import type { Database } from './database';
import { timeParam, toDate } from './rows';

/**
 * Named, expiring locks in `leases` (one turn at a time per thread, one runner per job tick).
 * Each operation is one statement whose condition includes the expiry, measured by the injected
 * clock: a lease counts as held only until `expires_at`, after which the old owner can neither
 * renew nor release it, because another instance may already have taken it.
 *
 * @example
 * ```ts
 * if (await store.leases.acquire({ key: `turn:${threadId}`, owner: instanceId, ttlMs: 30_000 })) {
 *   try { await runTurn(); } finally { await store.leases.release({ key: `turn:${threadId}`, owner: instanceId }); }
 * }
 * ```
 */
export function createLeaseStore(db: Database): LeaseStore {
  const n = db.names;
  const until = (ttlMs: number) => timeParam(new Date(db.clock.now() + ttlMs));

  return {
    async acquire({ key, owner, ttlMs }) {
      checkDuration(ttlMs, 'ttlMs');
      // Free (no row), expired, or already ours (a renewal): the upsert takes it; else no row.
      const rows = await db.query(
        'leases.acquire',
        `INSERT INTO ${n.leases} AS l (key, owner, expires_at) VALUES ($1, $2, $3)
         ON CONFLICT (key) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
         WHERE l.owner = excluded.owner OR l.expires_at <= $4 RETURNING key`,
        [key, owner, until(ttlMs), timeParam(db.now())],
      );
      return rows.length === 1;
    },

    async renew({ key, owner, ttlMs }) {
      checkDuration(ttlMs, 'ttlMs');
      const rows = await db.query(
        'leases.renew',
        `UPDATE ${n.leases} SET expires_at = $3
         WHERE key = $1 AND owner = $2 AND expires_at > $4 RETURNING key`,
        [key, owner, until(ttlMs), timeParam(db.now())],
      );
      return rows.length === 1;
    },

    async release({ key, owner }) {
      const rows = await db.query(
        'leases.release',
        `DELETE FROM ${n.leases} WHERE key = $1 AND owner = $2 AND expires_at > $3 RETURNING key`,
        [key, owner, timeParam(db.now())],
      );
      return rows.length === 1;
    },

    async holder(key) {
      const [row] = await db.query(
        'leases.holder',
        `SELECT owner, expires_at FROM ${n.leases} WHERE key = $1 AND expires_at > $2`,
        [key, timeParam(db.now())],
      );
      return row === undefined
        ? null
        : { owner: String(row.owner), expiresAt: toDate(row.expires_at) };
    },
  };
}
