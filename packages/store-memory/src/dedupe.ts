import { checkDuration, type DedupeStore } from '@threadline/core';
import { isExpired, type MemoryState } from './state';

/**
 * Inbound dedupe: a key with its expiry. The check and the write happen in one synchronous step,
 * so of any number of concurrent claims exactly one sees the key free. Expired claims are
 * overwritten when next claimed rather than swept, so nothing runs in the background.
 *
 * @example
 * ```ts
 * if (await store.dedupe.claim(`whatsapp:${messageId}`, 10 * 60_000)) record(message);
 * ```
 */
export function createDedupeStore(state: MemoryState): DedupeStore {
  return {
    async claim(key, ttlMs) {
      checkDuration(ttlMs, 'ttlMs');
      const expiresAt = state.claims.get(key);
      if (expiresAt !== undefined && !isExpired(state, expiresAt)) return false;
      state.claims.set(key, state.clock.now() + ttlMs);
      return true;
    },

    async release(key) {
      state.claims.delete(key);
    },
  };
}
