import { checkDuration, type DedupeStore } from '@threadline/core';
import type { Database } from './database';
import { timeParam } from './rows';

/**
 * Inbound dedupe in `dedupe`: one row per key with its expiry. A claim is one
 * `INSERT … ON CONFLICT DO UPDATE … WHERE expired`: the primary key makes concurrent claims of a
 * new key queue on one another and exactly one inserts; a live claim is left alone, so a losing
 * claim never extends it; an expired one is taken over in place. `cleanup()` deletes expired keys.
 *
 * @example
 * ```ts
 * if (await store.dedupe.claim(`whatsapp:${messageId}`, 10 * 60_000)) record(message);
 * ```
 */
export function createDedupeStore(db: Database): DedupeStore {
  const n = db.names;
  return {
    async claim(key, ttlMs) {
      checkDuration(ttlMs, 'ttlMs');
      const now = db.now();
      const rows = await db.query(
        'dedupe.claim',
        `INSERT INTO ${n.dedupe} AS d (key, expires_at) VALUES ($1, $2)
         ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at
         WHERE d.expires_at <= $3 RETURNING key`,
        [key, timeParam(new Date(now.getTime() + ttlMs)), timeParam(now)],
      );
      return rows.length === 1;
    },

    async release(key) {
      await db.query('dedupe.release', `DELETE FROM ${n.dedupe} WHERE key = $1`, [key]);
    },

    async extend(key, ttlMs) {
      checkDuration(ttlMs, 'ttlMs');
      const now = db.now();
      // Only a live claim: an expired row may be taken over by a concurrent claim at any moment.
      const rows = await db.query(
        'dedupe.extend',
        `UPDATE ${n.dedupe} SET expires_at = $2 WHERE key = $1 AND expires_at > $3 RETURNING key`,
        [key, timeParam(new Date(now.getTime() + ttlMs)), timeParam(now)],
      );
      return rows.length === 1;
    },
  };
}
