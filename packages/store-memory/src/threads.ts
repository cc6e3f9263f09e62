import {
  checkSeqBound,
  NotFoundError,
  pageSize,
  THREAD_READ_DEFAULT_LIMIT,
  THREAD_READ_PAGE,
  type Thread,
  type ThreadEntry,
  type ThreadLog,
  type ThreadReadOptions,
} from '@threadline/core';
import { copy, type MemoryState, now, pairKey, requireUser } from './state';

/**
 * The window `options` selects, oldest first. Entries are stored densely (`seq` = index + 1), so
 * every window is a slice.
 */
export function selectWindow(
  entries: readonly ThreadEntry[],
  options: ThreadReadOptions | undefined,
): ThreadEntry[] {
  if (options === undefined) return entries.slice(-THREAD_READ_DEFAULT_LIMIT);
  if ('latest' in options) {
    return entries.slice(-pageSize(options.latest, { ...THREAD_READ_PAGE, path: 'latest' }));
  }
  if ('after' in options) {
    const after = checkSeqBound(options.after, 'after', THREAD_READ_PAGE.what);
    const limit = pageSize(options.limit, { ...THREAD_READ_PAGE, path: 'limit' });
    return entries.slice(after, after + limit);
  }
  const before = checkSeqBound(options.before, 'before', THREAD_READ_PAGE.what);
  const limit = pageSize(options.limit, { ...THREAD_READ_PAGE, path: 'limit' });
  const end = Math.max(0, before - 1);
  return entries.slice(Math.max(0, end - limit), end);
}

/**
 * Threads and their entries. `append` numbers entries 1, 2, 3… per thread: it reads the count and
 * writes the entry without awaiting in between, so concurrent appends can neither share nor skip
 * a number.
 *
 * @example
 * ```ts
 * const thread = await store.threads.ensure({ userId, agentId: 'support' });
 * await store.threads.append(thread.id, { direction: 'inbound', at: new Date(), text: 'hi' });
 * await store.threads.read(thread.id, { latest: 20 });
 * ```
 */
export function createThreadLog(state: MemoryState): ThreadLog {
  function requireEntries(threadId: string): ThreadEntry[] {
    const entries = state.entries.get(threadId);
    if (entries === undefined) throw new NotFoundError('thread', threadId);
    return entries;
  }

  return {
    async ensure({ userId, agentId }) {
      // A thread for a user who does not exist would outlive every erasure: refuse it.
      requireUser(state, userId);
      const existingId = state.threadByPair.get(pairKey(userId, agentId));
      const existing = existingId === undefined ? undefined : state.threads.get(existingId);
      if (existing !== undefined) return copy(existing);
      const thread: Thread = { id: state.generateId(), userId, agentId, createdAt: now(state) };
      state.threads.set(thread.id, thread);
      state.threadByPair.set(pairKey(userId, agentId), thread.id);
      state.entries.set(thread.id, []);
      return copy(thread);
    },

    async get(threadId) {
      const thread = state.threads.get(threadId);
      return thread === undefined ? null : copy(thread);
    },

    async listByUser(userId) {
      return copy([...state.threads.values()].filter((thread) => thread.userId === userId));
    },

    async append(threadId, entry) {
      const entries = requireEntries(threadId);
      const stored: ThreadEntry = { ...copy(entry), threadId, seq: entries.length + 1 };
      entries.push(stored);
      return copy(stored);
    },

    async read(threadId, options) {
      return copy(selectWindow(requireEntries(threadId), options));
    },
  };
}
