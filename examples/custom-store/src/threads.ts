import {
  checkSeqBound,
  type NewThreadEntry,
  NotFoundError,
  pageSize,
  THREAD_READ_PAGE,
  type Thread,
  type ThreadEntry,
  type ThreadLog,
  type ThreadReadOptions,
} from '@threadline/core';
import type { Param, Row } from './database';
import { type StoreContext, toEntry, toJson, toThread } from './rows';
import { requireUser } from './users';

const LATEST_PAGE = { ...THREAD_READ_PAGE, path: 'latest' };
const LIMIT_PAGE = { ...THREAD_READ_PAGE, path: 'limit' };

/** The stored thread, or `null`. */
export function readThread(ctx: StoreContext, threadId: string): Thread | null {
  const row = ctx.db.get('SELECT * FROM threads WHERE id = ?', [threadId]);
  return row === undefined ? null : toThread(row);
}

/** The user's thread with the agent, created on first use (`NotFoundError` for an unknown user). */
export function ensureThread(ctx: StoreContext, userId: string, agentId: string): Thread {
  // A thread for a user who does not exist would outlive every erasure: refuse it.
  requireUser(ctx, userId);
  const existing = ctx.db.get('SELECT * FROM threads WHERE user_id = ? AND agent_id = ?', [
    userId,
    agentId,
  ]);
  if (existing !== undefined) return toThread(existing);
  const thread: Thread = { id: ctx.newId(), userId, agentId, createdAt: new Date(ctx.clock.now()) };
  ctx.db.run('INSERT INTO threads (id, user_id, agent_id, created_at) VALUES (?, ?, ?, ?)', [
    thread.id,
    userId,
    agentId,
    thread.createdAt.getTime(),
  ]);
  return thread;
}

/** Inserts one entry row at `seq` (the caller chose the number). */
export function insertEntry(
  ctx: StoreContext,
  threadId: string,
  seq: number,
  entry: NewThreadEntry,
): void {
  const values: Param[] = [
    threadId,
    seq,
    entry.direction,
    entry.at.getTime(),
    entry.text,
    entry.channel,
    entry.adapterId,
    toJson(entry.parts),
    toJson(entry.media),
    entry.deliveryId,
    entry.providerMessageId,
    toJson(entry.metadata),
  ];
  ctx.db.run(
    `INSERT INTO entries (thread_id, seq, direction, at, text, channel, adapter_id, parts, media,
       delivery_id, provider_message_id, metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    values,
  );
}

/**
 * Appends an entry with the next seq. The read of the last seq and the insert run with no other
 * call in between (sql.js is synchronous), so concurrent appends neither share nor skip a number;
 * the primary key (thread_id, seq) would refuse a duplicate anyway.
 */
export function appendEntry(
  ctx: StoreContext,
  threadId: string,
  entry: NewThreadEntry,
): ThreadEntry {
  if (readThread(ctx, threadId) === null) throw new NotFoundError('thread', threadId);
  const last = ctx.db.get('SELECT COALESCE(MAX(seq), 0) AS seq FROM entries WHERE thread_id = ?', [
    threadId,
  ]) as Row;
  const seq = (last.seq as number) + 1;
  insertEntry(ctx, threadId, seq, entry);
  return toEntry(
    ctx.db.get('SELECT * FROM entries WHERE thread_id = ? AND seq = ?', [threadId, seq]) as Row,
  );
}

/** The rows `options` selects, as SQL: newest-first windows are flipped back to oldest first. */
function selectEntries(ctx: StoreContext, threadId: string, options?: ThreadReadOptions): Row[] {
  if (options === undefined || 'latest' in options) {
    const latest = pageSize(options?.latest, LATEST_PAGE);
    return ctx.db
      .all('SELECT * FROM entries WHERE thread_id = ? ORDER BY seq DESC LIMIT ?', [
        threadId,
        latest,
      ])
      .reverse();
  }
  const limit = pageSize(options.limit, LIMIT_PAGE);
  if ('after' in options) {
    const after = checkSeqBound(options.after, 'after', THREAD_READ_PAGE.what);
    return ctx.db.all(
      'SELECT * FROM entries WHERE thread_id = ? AND seq > ? ORDER BY seq LIMIT ?',
      [threadId, after, limit],
    );
  }
  const before = checkSeqBound(options.before, 'before', THREAD_READ_PAGE.what);
  return ctx.db
    .all('SELECT * FROM entries WHERE thread_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?', [
      threadId,
      before,
      limit,
    ])
    .reverse();
}

/** Threads and their numbered entries. */
export function createThreadLog(ctx: StoreContext): ThreadLog {
  return {
    async ensure({ userId, agentId }) {
      return ensureThread(ctx, userId, agentId);
    },

    async get(threadId) {
      return readThread(ctx, threadId);
    },

    async listByUser(userId) {
      return ctx.db
        .all('SELECT * FROM threads WHERE user_id = ? ORDER BY rowid', [userId])
        .map(toThread);
    },

    async append(threadId, entry) {
      return appendEntry(ctx, threadId, entry);
    },

    async read(threadId, options) {
      if (readThread(ctx, threadId) === null) throw new NotFoundError('thread', threadId);
      return selectEntries(ctx, threadId, options).map(toEntry);
    },
  };
}
