import {
  checkSeqBound,
  type JsonObject,
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
import { defineScript, type Reply } from './connection';
import { type RedisContext, toDate, toRecord } from './context';

/** The fields of a thread hash that make a Thread (the hash also counts `seq`). */
const THREAD_FIELDS = ['id', 'user', 'agent', 'created', 'closed'] as const;

/**
 * Lua: `read_thread(k)`, the thread hash's {@link THREAD_FIELDS} as a flat field, value list (as
 * `HGETALL` answers). Not `HGETALL`: the hash also holds one `dlv:<deliveryId>` marker per
 * delivery entry (see `delivery-entries.ts`), which a read must not carry.
 */
export const READ_THREAD_LUA = `local function read_thread(k)
  local names = { ${THREAD_FIELDS.map((name) => `'${name}'`).join(', ')} }
  local values = redis.call('HMGET', k, unpack(names))
  local out = {}
  for i, name in ipairs(names) do
    if values[i] then
      out[#out + 1] = name
      out[#out + 1] = values[i]
    end
  end
  return out
end
`;

/**
 * KEYS: user, thread-by-agent, thread-list, new thread, new entries. ARGV: agentId, new thread
 * id, now, the user's tag, the key prefix. Answers 'nouser', the existing thread's hash (or its
 * id, when a merge left it in another slot), or the new thread's hash.
 */
const ENSURE_THREAD = defineScript(
  'thread-ensure',
  `${READ_THREAD_LUA}if redis.call('EXISTS', KEYS[1]) == 0 then return 'nouser' end
local existing = redis.call('HGET', KEYS[2], ARGV[1])
if existing then
  if string.sub(existing, 1, #ARGV[4]) == ARGV[4] then return read_thread(ARGV[5] .. 't:' .. existing) end
  return existing
end
local order = redis.call('HINCRBY', KEYS[1], 'threads', 1)
redis.call('HSET', KEYS[4], 'id', ARGV[2], 'user', redis.call('HGET', KEYS[1], 'id'), 'agent', ARGV[1], 'created', ARGV[3], 'seq', 0)
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[3], order, ARGV[2])
return read_thread(KEYS[4])`,
);

/**
 * KEYS: thread, entries. ARGV: the entry as JSON. The next seq under the thread's own counter,
 * so concurrent appends never share or skip one; nil for an unknown (or merged-away) thread.
 */
const APPEND = defineScript(
  'thread-append',
  `if redis.call('EXISTS', KEYS[1]) == 0 or redis.call('HEXISTS', KEYS[1], 'closed') == 1 then return false end
local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
redis.call('RPUSH', KEYS[2], ARGV[1])
return seq`,
);

/**
 * KEYS: thread, entries. ARGV: first index, last index (0-based, inclusive; entry i has seq i+1).
 * Negative first index: the last -first entries. Answers { first seq, entries } or nil.
 */
const READ = defineScript(
  'thread-read',
  `if redis.call('EXISTS', KEYS[1]) == 0 then return false end
local count = redis.call('LLEN', KEYS[2])
local first = tonumber(ARGV[1])
local last = tonumber(ARGV[2])
if first < 0 then first = math.max(0, count + first) last = count - 1 end
if last < first then return { first + 1, {} } end
return { first + 1, redis.call('LRANGE', KEYS[2], first, last) }`,
);

/** A thread hash as a Thread. */
export function toThread(reply: Reply): Thread | null {
  const record = toRecord(reply);
  if (record === null || record.closed !== undefined) return null;
  return {
    id: record.id ?? '',
    userId: record.user ?? '',
    agentId: record.agent ?? '',
    createdAt: toDate(record.created ?? '0'),
  };
}

/** An entry as stored: the caller's fields with `at` in milliseconds, without threadId and seq. */
export function encodeEntry(entry: NewThreadEntry): string {
  return JSON.stringify({ ...entry, at: entry.at.getTime() });
}

/** A stored entry as a ThreadEntry. */
export function decodeEntry(threadId: string, seq: number, stored: string): ThreadEntry {
  // The parsed object is new and ours: completed in place rather than copied (a latest-50 read
  // decodes fifty), with the keys in the order a copy would give them.
  const entry = JSON.parse(stored) as JsonObject & { at: number | Date };
  entry.at = new Date(entry.at as number);
  entry.threadId = threadId;
  entry.seq = seq;
  return entry as unknown as ThreadEntry;
}

/** The thread, or `null`. */
export async function readThread(ctx: RedisContext, threadId: string): Promise<Thread | null> {
  const values = await ctx.conn.command('threads.get', [
    'HMGET',
    ctx.keys.thread(threadId),
    ...THREAD_FIELDS,
  ]);
  if (!Array.isArray(values)) return null;
  const flat = THREAD_FIELDS.flatMap((name, index) => {
    const value = values[index];
    return value === null || value === undefined ? [] : [name, value];
  });
  return toThread(flat);
}

/**
 * Every thread of a user, oldest first. The list's order is the order threads joined the user, so
 * threads adopted in a merge come last there: sorting by `createdAt` (stable, so equal times keep
 * that order) puts them back among the user's own.
 */
export async function threadsOf(ctx: RedisContext, userId: string): Promise<Thread[]> {
  const ids = await ctx.conn.command('threads.listByUser', [
    'ZRANGE',
    ctx.keys.threadList(userId),
    '0',
    '-1',
  ]);
  const threads = await Promise.all(
    (Array.isArray(ids) ? ids : []).map((id) => readThread(ctx, String(id))),
  );
  return threads
    .filter((thread): thread is Thread => thread !== null)
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}

/** Every entry of a thread, oldest first (an export, a merge). */
export async function entriesOf(ctx: RedisContext, threadId: string): Promise<ThreadEntry[]> {
  const stored = await ctx.conn.command('threads.read', [
    'LRANGE',
    ctx.keys.entries(threadId),
    '0',
    '-1',
  ]);
  return (Array.isArray(stored) ? stored : []).map((entry, index) =>
    decodeEntry(threadId, index + 1, String(entry)),
  );
}

const LATEST_PAGE = { ...THREAD_READ_PAGE, path: 'latest' };
const LIMIT_PAGE = { ...THREAD_READ_PAGE, path: 'limit' };

/** The list indexes (0-based, inclusive) a read selects; a negative first means "the last n". */
function window(options: ThreadReadOptions | undefined): [number, number] {
  if (options === undefined) return [-THREAD_READ_DEFAULT_LIMIT, -1];
  if ('latest' in options) return [-pageSize(options.latest, LATEST_PAGE), -1];
  if ('after' in options) {
    const after = checkSeqBound(options.after, 'after', THREAD_READ_PAGE.what);
    return [after, after + pageSize(options.limit, LIMIT_PAGE) - 1];
  }
  const before = checkSeqBound(options.before, 'before', THREAD_READ_PAGE.what);
  const limit = pageSize(options.limit, LIMIT_PAGE);
  const last = before - 2;
  return [Math.max(0, last - limit + 1), last];
}

/**
 * Threads and their entries. A thread is a hash (its fields and `seq` counter) and a list of
 * entries (entry `seq` n at index n-1), so "latest 50" is one `LRANGE` from the tail. Both keys
 * carry the hash tag of the user the thread was made for: the tag is the start of the thread id.
 *
 * @example
 * ```ts
 * const thread = await store.threads.ensure({ userId, agentId: 'support' });
 * await store.threads.append(thread.id, { direction: 'inbound', at: new Date(), text: 'hi', channel: 'sms' });
 * await store.threads.read(thread.id, { latest: 50 });
 * ```
 */
export function createThreadLog(ctx: RedisContext): ThreadLog {
  return {
    async ensure({ userId, agentId }) {
      const threadId = `${ctx.keys.userTag(userId)}${ctx.generateId()}`;
      const reply = await ctx.conn.run(
        'threads.ensure',
        ENSURE_THREAD,
        [
          ctx.keys.user(userId),
          ctx.keys.threadByAgent(userId),
          ctx.keys.threadList(userId),
          ctx.keys.thread(threadId),
          ctx.keys.entries(threadId),
        ],
        [agentId, threadId, String(ctx.clock.now()), ctx.keys.userTag(userId), ctx.keys.prefix],
      );
      if (reply === 'nouser') throw new NotFoundError('user', userId);
      const thread = typeof reply === 'string' ? await readThread(ctx, reply) : toThread(reply);
      if (thread === null) throw new NotFoundError('thread', `${userId}/${agentId}`);
      return thread;
    },

    get: (threadId) => readThread(ctx, threadId),

    listByUser: (userId) => threadsOf(ctx, userId),

    async append(threadId, entry) {
      const stored = encodeEntry(entry);
      const seq = await ctx.conn.run(
        'threads.append',
        APPEND,
        [ctx.keys.thread(threadId), ctx.keys.entries(threadId)],
        [stored],
      );
      if (typeof seq !== 'number') throw new NotFoundError('thread', threadId);
      return decodeEntry(threadId, seq, stored);
    },

    async read(threadId, options) {
      const [first, last] = window(options);
      const reply = await ctx.conn.run(
        'threads.read',
        READ,
        [ctx.keys.thread(threadId), ctx.keys.entries(threadId)],
        [String(first), String(last)],
      );
      if (!Array.isArray(reply)) throw new NotFoundError('thread', threadId);
      const start = Number(reply[0]);
      const stored = Array.isArray(reply[1]) ? reply[1] : [];
      return stored.map((entry, index) => decodeEntry(threadId, start + index, String(entry)));
    },
  };
}
