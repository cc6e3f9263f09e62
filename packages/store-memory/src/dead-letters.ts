import {
  checkFailedAttempt,
  DEAD_LETTER_PAGE,
  type DeadLetter,
  type DeadLetterStore,
  pageSize,
} from '@threadline/core';
import { copy } from './copy';
import { type MemoryState, pairKey } from './state';

/**
 * Failed attempts per provider message, and dead letters. Counting is a read and a write with no
 * await between, so concurrent failures each count once.
 *
 * @example
 * ```ts
 * const { attempts, deadLetter } = await store.deadLetters.recordFailure({ ...attempt, maxAttempts: 5 });
 * ```
 */
export function createDeadLetterStore(state: MemoryState): DeadLetterStore {
  return {
    async recordFailure(input) {
      checkFailedAttempt(input);
      const { maxAttempts, ...attempt } = input;
      const stored = copy(attempt);
      const key = pairKey(input.adapterId, input.providerMessageId);
      const counted = state.failures.get(key) ?? {
        attempts: 0,
        firstFailedAt: stored.at,
        deadLetter: null,
      };
      counted.attempts += 1;
      if (counted.deadLetter !== null) counted.deadLetter.attempts = counted.attempts;
      else if (counted.attempts >= maxAttempts) {
        counted.deadLetter = {
          adapterId: stored.adapterId,
          providerMessageId: stored.providerMessageId,
          channel: stored.channel,
          attempts: counted.attempts,
          firstFailedAt: counted.firstFailedAt,
          deadAt: stored.at,
          error: stored.error,
          message: stored.message,
        };
      }
      state.failures.set(key, counted);
      return copy({ attempts: counted.attempts, deadLetter: counted.deadLetter });
    },

    async get({ adapterId, providerMessageId }) {
      return copy(state.failures.get(pairKey(adapterId, providerMessageId))?.deadLetter ?? null);
    },

    async list(options = {}) {
      const limit = pageSize(options.limit, { ...DEAD_LETTER_PAGE, path: 'limit' });
      const since = options.since?.getTime() ?? Number.NEGATIVE_INFINITY;
      const dead: DeadLetter[] = [];
      for (const { deadLetter } of state.failures.values()) {
        if (deadLetter !== null && deadLetter.deadAt.getTime() >= since) dead.push(deadLetter);
      }
      dead.sort((a, b) => b.deadAt.getTime() - a.deadAt.getTime());
      return copy(dead.slice(0, limit));
    },
  };
}
