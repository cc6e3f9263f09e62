import { type Thread, type User, ValidationError } from '@threadline/core';
import { type MemoryState, now, pairKey, requireUser } from './state';

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
  state.entries.set(
    into.id,
    tagged.map(({ entry }, index) => ({ ...entry, threadId: into.id, seq: index + 1 })),
  );
  if (from.createdAt < into.createdAt) into.createdAt = from.createdAt;
  // Deliveries point at the thread their entry lives in; that is now the surviving thread.
  for (const delivery of state.deliveries.values()) {
    if (delivery.threadId === from.id) delivery.threadId = into.id;
  }
  state.entries.delete(from.id);
  state.threads.delete(from.id);
  state.threadByPair.delete(pairKey(from.userId, from.agentId));
}

/**
 * Merges user `from` into `into` (see `UserStore.merge`): contact points, identities, deliveries
 * and held messages move; threads with one agent become one; `from` is deleted. `into` keeps its
 * display name (taking `from`'s if it had none) and its profile keys win over `from`'s.
 */
export function mergeUsers(state: MemoryState, input: { into: string; from: string }): User {
  if (input.into === input.from) {
    throw new ValidationError('merge', [
      { path: 'from', message: 'cannot merge a user into itself' },
    ]);
  }
  const into = requireUser(state, input.into);
  const from = requireUser(state, input.from);

  for (const value of from.phoneNumbers)
    if (!into.phoneNumbers.includes(value)) into.phoneNumbers.push(value);
  for (const value of from.emails) if (!into.emails.includes(value)) into.emails.push(value);
  for (const [key, owner] of state.contacts)
    if (owner === from.id) state.contacts.set(key, into.id);
  if (into.displayName === undefined && from.displayName !== undefined) {
    into.displayName = from.displayName;
  }
  into.profile = { ...from.profile, ...into.profile };

  for (const identity of state.identities.values()) {
    if (identity.userId === from.id) identity.userId = into.id;
  }
  for (const thread of [...state.threads.values()]) {
    if (thread.userId !== from.id) continue;
    const targetId = state.threadByPair.get(pairKey(into.id, thread.agentId));
    const target = targetId === undefined ? undefined : state.threads.get(targetId);
    if (target === undefined) {
      state.threadByPair.delete(pairKey(from.id, thread.agentId));
      thread.userId = into.id;
      state.threadByPair.set(pairKey(into.id, thread.agentId), thread.id);
    } else {
      mergeThreads(state, target, thread);
    }
  }
  for (const delivery of state.deliveries.values()) {
    if (delivery.userId === from.id) delivery.userId = into.id;
  }
  for (const held of state.held.values()) if (held.userId === from.id) held.userId = into.id;

  state.users.delete(from.id);
  into.updatedAt = now(state);
  return into;
}
