import {
  checkSeqBound,
  type NewThreadEntry,
  NotFoundError,
  pageSize,
  THREAD_READ_DEFAULT_LIMIT,
  THREAD_READ_PAGE,
  type Thread,
  type ThreadEntry,
  type ThreadLog,
  type ThreadReadOptions,
} from '@threadline/core';
import { copy } from './copy';
import { type MemoryState, now, pairKey, requireUser } from './state';

/** A user's threads, oldest first (the order a scan of every thread gave). */
export function threadsOf(state: MemoryState, userId: string): Thread[] {
  const ids = state.order.threads.sort([...state.threadsByUser.keys(userId)]);
  return ids.map((id) => state.threads.get(id) as Thread);
}

/** Gives a thread to another user (a merge), moving its pair key and index entry too. */
export function moveThread(state: MemoryState, thread: Thread, userId: string): void {
  state.threadByPair.delete(pairKey(thread.userId, thread.agentId));
  state.threadsByUser.move(thread.id, thread.userId, userId);
  thread.userId = userId;
  state.threadByPair.set(pairKey(userId, thread.agentId), thread.id);
}

/** Removes a thread with its entries, pair key and index entries (not its deliveries). */
export function removeThread(state: MemoryState, thread: Thread): void {
  state.entries.delete(thread.id);
  state.threads.delete(thread.id);
  state.threadByPair.delete(pairKey(thread.userId, thread.agentId));
  state.threadsByUser.delete(thread.userId, thread.id);
  state.order.threads.delete(thread.id);
}

// Page bounds made once: spreading them anew on every read costs more than the read's slice.
const LATEST_PAGE = { ...THREAD_READ_PAGE, path: 'latest' };
const LIMIT_PAGE = { ...THREAD_READ_PAGE, path: 'limit' };

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
    return entries.slice(-pageSize(options.latest, LATEST_PAGE));
  }
  if ('after' in options) {
    const after = checkSeqBound(options.after, 'after', THREAD_READ_PAGE.what);
    const limit = pageSize(options.limit, LIMIT_PAGE);
    return entries.slice(after, after + limit);
  }
  const before = checkSeqBound(options.before, 'before', THREAD_READ_PAGE.what);
  const limit = pageSize(options.limit, LIMIT_PAGE);
  const end = Math.max(0, before - 1);
  return entries.slice(Math.max(0, end - limit), end);
}

/**
 * The stored thread of a user with an agent, created on first use (`NotFoundError` for an unknown
 * user). Synchronous and uncopied: for `ensure` and `inbound.record`.
 */
export function ensureThread(state: MemoryState, userId: string, agentId: string): Thread {
  // A thread for a user who does not exist would outlive every erasure: refuse it.
  requireUser(state, userId);
  const existingId = state.threadByPair.get(pairKey(userId, agentId));
  const existing = existingId === undefined ? undefined : state.threads.get(existingId);
  if (existing !== undefined) return existing;
  const thread: Thread = { id: state.generateId(), userId, agentId, createdAt: now(state) };
  const replaced = state.threads.get(thread.id);
  // Only an id the generator repeated gets here: the map keeps the replaced one's place, so the
  // order does too.
  if (replaced === undefined) state.order.threads.add(thread.id);
  else state.threadsByUser.delete(replaced.userId, replaced.id);
  state.threads.set(thread.id, thread);
  state.threadByPair.set(pairKey(userId, agentId), thread.id);
  state.entries.set(thread.id, []);
  state.threadsByUser.add(userId, thread.id);
  return thread;
}

/**
 * Numbers and stores `stored` (a copy the store owns) as the next entry of `entries`, and returns
 * it uncopied.
 */
export function appendEntry(
  entries: ThreadEntry[],
  threadId: string,
  stored: NewThreadEntry,
): ThreadEntry {
  // Set on the copy rather than `{ ...copy(entry), threadId, seq }`, which orders keys the same
  // but in Node 20 gives every entry a hidden class of its own (see deliveries.ts).
  const entry = stored as ThreadEntry;
  entry.threadId = threadId;
  entry.seq = entries.length + 1;
  entries.push(entry);
  return entry;
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
      return copy(ensureThread(state, userId, agentId));
    },

    async get(threadId) {
      const thread = state.threads.get(threadId);
      return thread === undefined ? null : copy(thread);
    },

    async listByUser(userId) {
      return copy(threadsOf(state, userId));
    },

    async append(threadId, entry) {
      const entries = requireEntries(threadId);
      return copy(appendEntry(entries, threadId, copy(entry)));
    },

    async read(threadId, options) {
      return copy(selectWindow(requireEntries(threadId), options));
    },
  };
}
