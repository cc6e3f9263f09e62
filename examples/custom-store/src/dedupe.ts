import { checkDuration, type DedupeStore } from '@threadline/core';
import type { StoreContext } from './rows';

/**
 * Claims `key` until `now + ttlMs` unless a live claim holds it: one statement that inserts a new
 * key or takes over an expired one, so exactly one of many concurrent claims changes a row.
 */
export function claimKey(ctx: StoreContext, key: string, ttlMs: number): boolean {
  const now = ctx.clock.now();
  const changed = ctx.db.run(
    `INSERT INTO dedupe (key, expires_at) VALUES (?, ?)
     ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at WHERE dedupe.expires_at <= ?`,
    [key, now + ttlMs, now],
  );
  return changed > 0;
}

/** Inbound dedupe: one claim per provider event, for `ttlMs`. */
export function createDedupeStore(ctx: StoreContext): DedupeStore {
  return {
    async claim(key, ttlMs) {
      checkDuration(ttlMs, 'ttlMs');
      return claimKey(ctx, key, ttlMs);
    },

    async release(key) {
      ctx.db.run('DELETE FROM dedupe WHERE key = ?', [key]);
    },
  };
}
