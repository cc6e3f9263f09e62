import { checkDuration, type LeaseHolder, type LeaseStore } from '@threadline/core';
import { copy } from './copy';
import { isExpired, type MemoryState } from './state';

/**
 * Named, expiring locks. A lease counts as held only until `expiresAt`: after that `renew` and
 * `release` by the old owner fail, because another instance may already have taken it and the
 * old owner must stop acting as if it still held it.
 *
 * @example
 * ```ts
 * if (await store.leases.acquire({ key: `turn:${threadId}`, owner: instanceId, ttlMs: 30_000 })) {
 *   try { await runTurn(); } finally { await store.leases.release({ key: `turn:${threadId}`, owner: instanceId }); }
 * }
 * ```
 */
export function createLeaseStore(state: MemoryState): LeaseStore {
  function live(key: string): LeaseHolder | undefined {
    const lease = state.leases.get(key);
    if (lease === undefined) return undefined;
    if (!isExpired(state, lease.expiresAt)) return lease;
    state.leases.delete(key);
    return undefined;
  }

  function grant(key: string, owner: string, ttlMs: number): void {
    state.leases.set(key, { owner, expiresAt: new Date(state.clock.now() + ttlMs) });
  }

  return {
    async acquire({ key, owner, ttlMs }) {
      checkDuration(ttlMs, 'ttlMs');
      const current = live(key);
      if (current !== undefined && current.owner !== owner) return false;
      grant(key, owner, ttlMs);
      return true;
    },

    async renew({ key, owner, ttlMs }) {
      checkDuration(ttlMs, 'ttlMs');
      if (live(key)?.owner !== owner) return false;
      grant(key, owner, ttlMs);
      return true;
    },

    async release({ key, owner }) {
      if (live(key)?.owner !== owner) return false;
      state.leases.delete(key);
      return true;
    },

    async holder(key) {
      const current = live(key);
      return current === undefined ? null : copy(current);
    },
  };
}
