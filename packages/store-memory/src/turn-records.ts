import type { PendingTurn } from '@threadline/core';
import { type MemoryState, pairKey } from './state';

// The pending turns and their indexes (see `MemoryState.turns`): every write goes through here so
// the by-message, by-user and by-thread lookups stay in step with the records.

function messageKey(turn: Pick<PendingTurn, 'threadId' | 'seq'>): string {
  return pairKey(turn.threadId, String(turn.seq));
}

/** The pending turn of a recorded message, if any. */
export function turnOfMessage(
  state: MemoryState,
  message: Pick<PendingTurn, 'threadId' | 'seq'>,
): PendingTurn | undefined {
  const id = state.turnByMessage.get(messageKey(message));
  return id === undefined ? undefined : state.turns.get(id);
}

/** Stores a new pending turn with its index entries. */
export function addTurn(state: MemoryState, turn: PendingTurn): void {
  state.turns.set(turn.id, turn);
  state.turnByMessage.set(messageKey(turn), turn.id);
  state.turnsByUser.add(turn.userId, turn.id);
  state.turnsByThread.add(turn.threadId, turn.id);
}

/** Removes a pending turn and its index entries (completed, or its user erased). */
export function removeTurn(state: MemoryState, turn: PendingTurn): void {
  state.turns.delete(turn.id);
  state.turnByMessage.delete(messageKey(turn));
  state.turnsByUser.delete(turn.userId, turn.id);
  state.turnsByThread.delete(turn.threadId, turn.id);
}

/** Oldest first, as `claimDue` takes them: `createdAt`, then `seq`. */
export function oldestTurnFirst(a: PendingTurn, b: PendingTurn): number {
  return a.createdAt.getTime() - b.createdAt.getTime() || a.seq - b.seq;
}

/** The pending turns of a user: theirs, and any recorded in one of `threadIds`; oldest first. */
export function turnsOf(
  state: MemoryState,
  userId: string,
  threadIds: Iterable<string>,
): PendingTurn[] {
  const ids = new Set(state.turnsByUser.keys(userId));
  for (const threadId of threadIds)
    for (const id of state.turnsByThread.keys(threadId)) ids.add(id);
  return [...ids].map((id) => state.turns.get(id) as PendingTurn).sort(oldestTurnFirst);
}

/** Gives every pending turn of user `from` to user `into` (a merge). */
export function moveUserTurns(state: MemoryState, from: string, into: string): void {
  for (const id of state.turnsByUser.keys(from)) (state.turns.get(id) as PendingTurn).userId = into;
  state.turnsByUser.moveAll(from, into);
}

/**
 * Repoints the pending turns of threads `from` and `into` after their entries were merged into
 * `into` and renumbered: `renumbered(threadId, seq)` is the new seq of the entry that was at
 * `seq` in `threadId`. Every old message key goes before any new one is written, since a new key
 * may be another turn's old one. A turn whose entry `renumbered` does not know (its message is
 * gone) stays as it was: the runtime reports it when it cannot find the entry.
 */
export function renumberTurns(
  state: MemoryState,
  threads: { into: string; from: string },
  renumbered: (threadId: string, seq: number) => number | undefined,
): void {
  const moving: Array<{ turn: PendingTurn; seq: number }> = [];
  for (const threadId of [threads.into, threads.from]) {
    for (const id of state.turnsByThread.keys(threadId)) {
      const turn = state.turns.get(id) as PendingTurn;
      const seq = renumbered(turn.threadId, turn.seq);
      if (seq !== undefined) moving.push({ turn, seq });
    }
  }
  for (const { turn } of moving) {
    state.turnByMessage.delete(messageKey(turn));
    state.turnsByThread.delete(turn.threadId, turn.id);
  }
  for (const { turn, seq } of moving) {
    turn.threadId = threads.into;
    turn.seq = seq;
    state.turnByMessage.set(messageKey(turn), turn.id);
    state.turnsByThread.add(turn.threadId, turn.id);
  }
}
