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
import type { Database } from './database';
import type { Queryable } from './driver/driver';
import { hasSqlState } from './errors';
import type { Names } from './names';
import { jsonParam, type Row, timeParam, toDate, toNumber, withOptional } from './rows';

/** A `threads` row as a Thread. */
export function toThread(row: Row): Thread {
  return {
    id: String(row.id),
    userId: String(row.user_id),
    agentId: String(row.agent_id),
    createdAt: toDate(row.created_at),
  };
}

/** An `entries` row as a ThreadEntry. */
export function toEntry(row: Row): ThreadEntry {
  const entry = {
    threadId: String(row.thread_id),
    seq: toNumber(row.seq),
    direction: row.direction,
    at: toDate(row.at),
    text: String(row.text),
  } as ThreadEntry;
  return withOptional(entry, row, {
    channel: 'channel',
    adapter_id: 'adapterId',
    delivery_id: 'deliveryId',
    provider_message_id: 'providerMessageId',
    parts: 'parts',
    media: 'media',
    metadata: 'metadata',
  });
}

/**
 * The condition, order and limit of a read. `latest` and `before` read backwards from the end of
 * their window (an index scan of the primary key in reverse) and are put back in order after.
 */
function window(options: ThreadReadOptions | undefined): {
  where: string;
  bound: number | null;
  descending: boolean;
  limit: number;
} {
  if (options === undefined) {
    return { where: 'true', bound: null, descending: true, limit: THREAD_READ_DEFAULT_LIMIT };
  }
  if ('latest' in options) {
    const limit = pageSize(options.latest, { ...THREAD_READ_PAGE, path: 'latest' });
    return { where: 'true', bound: null, descending: true, limit };
  }
  if ('after' in options) {
    const after = checkSeqBound(options.after, 'after', THREAD_READ_PAGE.what);
    return {
      where: 'e.seq > $3',
      bound: after,
      descending: false,
      limit: pageSize(options.limit, { ...THREAD_READ_PAGE, path: 'limit' }),
    };
  }
  const before = checkSeqBound(options.before, 'before', THREAD_READ_PAGE.what);
  return {
    where: 'e.seq < $3',
    bound: before,
    descending: true,
    limit: pageSize(options.limit, { ...THREAD_READ_PAGE, path: 'limit' }),
  };
}

/**
 * Appends one entry: one statement that bumps the thread's `last_seq` (taking its row lock) and
 * inserts under the new number. Takes any {@link Queryable}, so `deliveries.create` can write an
 * entry in the transaction that makes its delivery. `NotFoundError` for an unknown thread.
 */
export async function insertEntry(
  q: Queryable,
  n: Names,
  threadId: string,
  entry: NewThreadEntry,
): Promise<ThreadEntry> {
  const [row] = await q.query(
    `WITH thread AS (
       UPDATE ${n.threads} SET last_seq = last_seq + 1 WHERE id = $1 RETURNING id, last_seq)
     INSERT INTO ${n.entries} (thread_id, seq, direction, at, text, channel, adapter_id,
       delivery_id, provider_message_id, parts, media, metadata)
     SELECT thread.id, thread.last_seq, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10::jsonb, $11::jsonb
     FROM thread RETURNING *`,
    [
      threadId,
      entry.direction,
      timeParam(entry.at),
      entry.text,
      entry.channel ?? null,
      entry.adapterId ?? null,
      entry.deliveryId ?? null,
      entry.providerMessageId ?? null,
      jsonParam(entry.parts),
      jsonParam(entry.media),
      jsonParam(entry.metadata),
    ],
  );
  if (row === undefined) throw new NotFoundError('thread', threadId);
  return toEntry(row);
}

/**
 * Threads and their entries, in `threads` and `entries`. `append` is one statement: it bumps the
 * thread's `last_seq` (taking the thread row's lock, so concurrent appends to one thread take
 * turns) and inserts the entry with the new number: no gaps, no repeats, on any number of
 * instances.
 *
 * @example
 * ```ts
 * const thread = await store.threads.ensure({ userId, agentId: 'support' });
 * await store.threads.append(thread.id, { direction: 'inbound', at: new Date(), text: 'hi' });
 * await store.threads.read(thread.id, { latest: 20 });
 * ```
 */
export function createThreadLog(db: Database): ThreadLog {
  const n = db.names;

  return {
    async ensure({ userId, agentId }) {
      // Look first: the thread exists for every message but a user's first, so this is one
      // round trip on the hot path (inbound messages and sends), not an insert and a select.
      const select = async () => {
        const [row] = await db.query(
          'threads.ensure',
          `SELECT * FROM ${n.threads} WHERE user_id = $1 AND agent_id = $2`,
          [userId, agentId],
        );
        return row;
      };
      const found = await select();
      if (found !== undefined) return toThread(found);
      try {
        const [created] = await db.query(
          'threads.ensure',
          `INSERT INTO ${n.threads} (id, user_id, agent_id, created_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (user_id, agent_id) DO NOTHING RETURNING *`,
          [db.generateId(), userId, agentId, timeParam(db.now())],
        );
        if (created !== undefined) return toThread(created);
      } catch (error) {
        // A thread for a user who does not exist would outlive every erasure: the foreign key
        // refuses it.
        if (hasSqlState(error, '23503')) throw new NotFoundError('user', userId);
        throw error;
      }
      // Another caller created it between our look and our insert.
      const existing = await select();
      if (existing === undefined) throw new NotFoundError('user', userId);
      return toThread(existing);
    },

    async get(threadId) {
      const [row] = await db.query('threads.get', `SELECT * FROM ${n.threads} WHERE id = $1`, [
        threadId,
      ]);
      return row === undefined ? null : toThread(row);
    },

    async listByUser(userId) {
      const rows = await db.query(
        'threads.listByUser',
        `SELECT * FROM ${n.threads} WHERE user_id = $1 ORDER BY created_at, id`,
        [userId],
      );
      return rows.map(toThread);
    },

    append: (threadId, entry) => insertEntry(db.bound('threads.append'), n, threadId, entry),

    async read(threadId, options) {
      const { where, bound, descending, limit } = window(options);
      // One query answers both "which entries" and "does the thread exist" (no row at all).
      const rows = await db.query(
        'threads.read',
        `SELECT t.id AS known, e.* FROM ${n.threads} t
         LEFT JOIN LATERAL (
           SELECT * FROM ${n.entries} e WHERE e.thread_id = t.id AND ${where}
           ORDER BY e.seq ${descending ? 'DESC' : 'ASC'} LIMIT $2
         ) e ON true
         WHERE t.id = $1`,
        bound === null ? [threadId, limit] : [threadId, limit, bound],
      );
      if (rows.length === 0) throw new NotFoundError('thread', threadId);
      const entries = rows.filter((row) => row.seq !== null).map(toEntry);
      return descending ? entries.reverse() : entries;
    },
  };
}
