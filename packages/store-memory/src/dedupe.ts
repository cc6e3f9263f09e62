import { checkDuration, type DedupeStore } from '@threadline/core';
import { isExpired, type MemoryState } from './state';

/**
 * The claims map is first swept for expired claims when it holds this many; after a sweep, the
 * next comes when the map has doubled from what the sweep left. Each sweep walks the map once, and
 * at least as many claims were added since the last, so the cost per claim stays constant while
 * the map stays within about twice the live claims, however long the process runs.
 */
const FIRST_SWEEP_AT = 1_024;

/** The claims map of one store, shared by `dedupe` and `inbound` so both see the same keys. */
export interface Claims {
  /** Whether `key` has a claim that has not expired. */
  isLive(key: string): boolean;
  /** Writes (or takes over) the claim of `key` for `ttlMs`: call it only after `isLive` said no. */
  take(key: string, ttlMs: number): void;
}

/** The claims of `state`, with the sweep described at {@link FIRST_SWEEP_AT}. */
export function createClaims(state: MemoryState): Claims {
  let sweepAt = FIRST_SWEEP_AT;

  function sweep(): void {
    const nowMs = state.clock.now();
    for (const [key, expiresAt] of state.claims) {
      if (expiresAt <= nowMs) state.claims.delete(key);
    }
    sweepAt = Math.max(FIRST_SWEEP_AT, state.claims.size * 2);
  }

  return {
    isLive(key) {
      const expiresAt = state.claims.get(key);
      return expiresAt !== undefined && !isExpired(state, expiresAt);
    },
    take(key, ttlMs) {
      if (!state.claims.has(key) && state.claims.size >= sweepAt) sweep();
      state.claims.set(key, state.clock.now() + ttlMs);
    },
  };
}

/**
 * Inbound dedupe: a key with its expiry. The check and the write happen in one synchronous step,
 * so of any number of concurrent claims exactly one sees the key free. An expired claim is
 * overwritten when its key is claimed again, and the rest are swept out now and then by a claim
 * (see {@link FIRST_SWEEP_AT}), so nothing runs in the background and the map does not grow with
 * every message ever seen.
 *
 * @example
 * ```ts
 * if (await store.dedupe.claim(`whatsapp:${messageId}`, 10 * 60_000)) record(message);
 * ```
 */
export function createDedupeStore(
  state: MemoryState,
  claims: Claims = createClaims(state),
): DedupeStore {
  return {
    async claim(key, ttlMs) {
      checkDuration(ttlMs, 'ttlMs');
      if (claims.isLive(key)) return false;
      claims.take(key, ttlMs);
      return true;
    },

    async release(key) {
      state.claims.delete(key);
    },

    async extend(key, ttlMs) {
      checkDuration(ttlMs, 'ttlMs');
      if (!claims.isLive(key)) return false;
      state.claims.set(key, state.clock.now() + ttlMs);
      return true;
    },
  };
}
