import { checkDuration, type LeaseStore } from '@threadline/core';
import { date, type StoreContext, text } from './rows';

/**
 * Named, expiring locks. Each method is one conditional statement: a lease that has expired
 * (`expires_at <= now`) is free for anyone, a live one only for its owner.
 */
export function createLeaseStore(ctx: StoreContext): LeaseStore {
  return {
    async acquire({ key, owner, ttlMs }) {
      checkDuration(ttlMs, 'ttlMs');
      const now = ctx.clock.now();
      return (
        ctx.db.run(
          `INSERT INTO leases (key, owner, expires_at) VALUES (?, ?, ?)
           ON CONFLICT (key) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
           WHERE leases.owner = excluded.owner OR leases.expires_at <= ?`,
          [key, owner, now + ttlMs, now],
        ) > 0
      );
    },

    async renew({ key, owner, ttlMs }) {
      checkDuration(ttlMs, 'ttlMs');
      const now = ctx.clock.now();
      return (
        ctx.db.run(
          'UPDATE leases SET expires_at = ? WHERE key = ? AND owner = ? AND expires_at > ?',
          [now + ttlMs, key, owner, now],
        ) > 0
      );
    },

    async release({ key, owner }) {
      const now = ctx.clock.now();
      return (
        ctx.db.run('DELETE FROM leases WHERE key = ? AND owner = ? AND expires_at > ?', [
          key,
          owner,
          now,
        ]) > 0
      );
    },

    async holder(key) {
      const row = ctx.db.get('SELECT * FROM leases WHERE key = ? AND expires_at > ?', [
        key,
        ctx.clock.now(),
      ]);
      return row === undefined
        ? null
        : { owner: text(row, 'owner'), expiresAt: date(row, 'expires_at') };
    },
  };
}
