import {
  checkCount,
  checkDuration,
  type NewPendingTurn,
  type PendingTurn,
  type TurnStore,
} from '@threadline/core';
import { copy } from './copy';
import { isExpired, type MemoryState, now } from './state';
import { addTurn, oldestTurnFirst, removeTurn, turnOfMessage } from './turn-records';

/** The memory turn store, with the synchronous enqueue `inbound.record` uses in its one step. */
export interface MemoryTurnStore extends TurnStore {
  /** `enqueue`, synchronously (a `ValidationError` is thrown, not rejected). */
  enqueueNow(input: NewPendingTurn): PendingTurn | null;
}

/**
 * Durable agent turns, in the store's state: pending turns only (a completed one is deleted),
 * with an index by thread + seq so enqueueing a pending turn twice is a no-op, and by user and
 * thread so erasure, export and merge find a user's turns (see turn-records.ts). As everywhere in
 * the memory store, check and write happen in one synchronous step, so `claimDue` never hands a
 * turn to two callers; "durable" here means across runtimes that share this store object (tests,
 * one process), not across a restart.
 *
 * @example
 * ```ts
 * await store.turns.enqueue({ threadId, seq: 1, userId, adapterId: 'wa', channel: 'whatsapp',
 *   address: '+447700900123', owner: 'instance-a', leaseMs: 60_000 });
 * const due = await store.turns.claimDue({ owner: 'instance-b', limit: 10, leaseMs: 60_000 });
 * ```
 */
export function createTurnStore(state: MemoryState): MemoryTurnStore {
  const pending = state.turns;

  function enqueueNow(input: NewPendingTurn): PendingTurn | null {
    checkDuration(input.leaseMs, 'leaseMs', 'lease');
    if (turnOfMessage(state, input) !== undefined) return null;
    const at = now(state);
    const turn: PendingTurn = {
      id: state.generateId(),
      threadId: input.threadId,
      seq: input.seq,
      userId: input.userId,
      adapterId: input.adapterId,
      channel: input.channel,
      address: input.address,
      attempts: 1,
      lease: { owner: input.owner, expiresAt: new Date(at.getTime() + input.leaseMs) },
      createdAt: at,
    };
    addTurn(state, turn);
    return copy(turn);
  }

  return {
    enqueueNow,

    async enqueue(input) {
      return enqueueNow(input);
    },

    async claimDue({ owner, limit, leaseMs }) {
      checkCount(limit, 'limit', 'turn claim');
      checkDuration(leaseMs, 'leaseMs', 'lease');
      const nowMs = state.clock.now();
      // A thread's turns are taken over in arrival order: none behind an earlier live lease.
      const firstLive = new Map<string, number>();
      for (const turn of pending.values()) {
        if (isExpired(state, turn.lease.expiresAt)) continue;
        firstLive.set(turn.threadId, Math.min(turn.seq, firstLive.get(turn.threadId) ?? turn.seq));
      }
      const due = [...pending.values()]
        .filter(
          (turn) =>
            isExpired(state, turn.lease.expiresAt) &&
            turn.seq < (firstLive.get(turn.threadId) ?? Number.POSITIVE_INFINITY),
        )
        .sort(oldestTurnFirst)
        .slice(0, limit);
      for (const turn of due) {
        turn.attempts += 1;
        turn.lease = { owner, expiresAt: new Date(nowMs + leaseMs) };
      }
      return copy(due);
    },

    async renew(id, { owner, leaseMs }) {
      checkDuration(leaseMs, 'leaseMs', 'lease');
      const turn = pending.get(id);
      if (
        turn === undefined ||
        turn.lease.owner !== owner ||
        isExpired(state, turn.lease.expiresAt)
      )
        return false;
      turn.lease = { owner, expiresAt: new Date(state.clock.now() + leaseMs) };
      return true;
    },

    async complete(id, owner) {
      const turn = pending.get(id);
      if (turn === undefined || turn.lease.owner !== owner) return false;
      removeTurn(state, turn);
      return true;
    },

    async get(id) {
      const turn = pending.get(id);
      return turn === undefined ? null : copy(turn);
    },
  };
}
