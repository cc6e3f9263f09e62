import { type Thread, type User, ValidationError } from '@threadline/core';
import { moveThreadDeliveries, moveUserDeliveries } from './delivery-index';
import { moveHeld } from './held';
import { contactKeysOf, type MemoryState, now, pairKey, requireUser } from './state';
import { moveThread, removeThread, threadsOf } from './threads';
import { moveUserTurns, renumberTurns } from './turn-records';

/**
 * Moves `from`'s entries into `into` and renumbers them 1..n in time order. Entries with the same
 * `at` keep a stable order: the surviving thread's first, then each thread's own seq order.
 */
function mergeThreads(state: MemoryState, into: Thread, from: Thread): void {
  const tagged = [
    ...(state.entries.get(into.id) ?? []).map((entry) => ({ entry, rank: 0 })),
    ...(state.entries.get(from.id) ?? []).map((entry) => ({ entry, rank: 1 })),
  ];
  tagged.sort(
    (a, b) =>
      a.entry.at.getTime() - b.entry.at.getTime() || a.rank - b.rank || a.entry.seq - b.entry.seq,
  );
  // Old thread id + seq → new seq, for the pending turns that name these entries (only when
  // there are any: most merges have none, and a long thread would pay a key per entry).
  const turns = state.turnsByThread.keys(into.id).size + state.turnsByThread.keys(from.id).size;
  const renumbered = turns === 0 ? undefined : new Map<string, number>();
  state.entries.set(
    into.id,
    tagged.map(({ entry }, index) => {
      renumbered?.set(pairKey(entry.threadId, String(entry.seq)), index + 1);
      // Set after the spread, not inside it (`{ ...entry, threadId, seq }`): see `append` in
      // threads.ts. Both keys exist already, so they keep their places.
      const moved = { ...entry };
      moved.threadId = into.id;
      moved.seq = index + 1;
      return moved;
    }),
  );
  // A pending turn must still name its message, which has a new place (in `into` too).
  if (renumbered !== undefined) {
    renumberTurns(state, { into: into.id, from: from.id }, (threadId, seq) =>
      renumbered.get(pairKey(threadId, String(seq))),
    );
  }
  if (from.createdAt < into.createdAt) into.createdAt = from.createdAt;
  // Deliveries point at the thread their entry lives in; that is now the surviving thread.
  moveThreadDeliveries(state, from.id, into.id);
  removeThread(state, from);
}

/** Gives `from`'s contact points to `into`, in their lists and in the index (see `contactKeysOf`). */
function mergeContacts(state: MemoryState, into: User, from: User): void {
  for (const value of from.phoneNumbers)
    if (!into.phoneNumbers.includes(value)) into.phoneNumbers.push(value);
  for (const value of from.emails) if (!into.emails.includes(value)) into.emails.push(value);
  for (const key of contactKeysOf(from)) {
    if (state.contacts.get(key) === from.id) state.contacts.set(key, into.id);
  }
}

/**
 * Merges user `from` into `into` (see `UserStore.merge`): contact points, identities, deliveries,
 * held messages and pending turns move; threads with one agent become one; `from` is deleted. `into` keeps its
 * display name (taking `from`'s if it had none) and its profile keys win over `from`'s. Only
 * `from`'s own records are touched, found through the per-user indexes.
 */
export function mergeUsers(state: MemoryState, input: { into: string; from: string }): User {
  if (input.into === input.from) {
    throw new ValidationError('merge', [
      { path: 'from', message: 'cannot merge a user into itself' },
    ]);
  }
  const into = requireUser(state, input.into);
  const from = requireUser(state, input.from);

  mergeContacts(state, into, from);
  if (into.displayName === undefined && from.displayName !== undefined) {
    into.displayName = from.displayName;
  }
  into.profile = { ...from.profile, ...into.profile };

  for (const key of state.identitiesByUser.keys(from.id)) {
    const identity = state.identities.get(key);
    if (identity !== undefined) identity.userId = into.id;
  }
  state.identitiesByUser.moveAll(from.id, into.id);
  for (const thread of threadsOf(state, from.id)) {
    const targetId = state.threadByPair.get(pairKey(into.id, thread.agentId));
    const target = targetId === undefined ? undefined : state.threads.get(targetId);
    if (target === undefined) moveThread(state, thread, into.id);
    else mergeThreads(state, target, thread);
  }
  moveUserDeliveries(state, from.id, into.id);
  moveHeld(state, from.id, into.id);
  moveUserTurns(state, from.id, into.id);

  state.users.delete(from.id);
  into.updatedAt = now(state);
  return into;
}
