import {
  checkFailedAttempt,
  DEAD_LETTER_PAGE,
  type DeadLetter,
  type DeadLetterStore,
  type JsonObject,
  type ProviderMessageKey,
  pageSize,
} from '@threadline/core';
import { defineScript, type Reply } from './connection';
import { type RedisContext, toDate, toRecord } from './context';

// Failed attempts per provider message, under one hash tag `{dl}` (like the outbox): counting a
// failure and indexing the dead letter by time is one script, and dead letters are rare.

/**
 * KEYS: the message's hash, the `dead` index. ARGV: adapterId, providerMessageId, channel, at,
 * maxAttempts, error JSON, message JSON, index member. Counts one attempt; the one that reaches the
 * limit writes the dead letter. Answers the hash.
 */
const RECORD_FAILURE = defineScript(
  'dead-letter-record',
  `local n = redis.call('HINCRBY', KEYS[1], 'attempts', 1)
if n == 1 then
  redis.call('HSET', KEYS[1], 'adapter', ARGV[1], 'pmid', ARGV[2], 'channel', ARGV[3], 'first', ARGV[4])
end
if redis.call('HEXISTS', KEYS[1], 'dead') == 0 and n >= tonumber(ARGV[5]) then
  redis.call('HSET', KEYS[1], 'dead', ARGV[4], 'error', ARGV[6], 'message', ARGV[7])
  redis.call('ZADD', KEYS[2], ARGV[4], ARGV[8])
end
return redis.call('HGETALL', KEYS[1])`,
);

/** KEYS: the `dead` index. ARGV: since ('-inf'), limit, the tag's key base. Newest first. */
const LIST = defineScript(
  'dead-letter-list',
  `local out = {}
for _, m in ipairs(redis.call('ZREVRANGEBYSCORE', KEYS[1], '+inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))) do
  out[#out + 1] = redis.call('HGETALL', ARGV[3] .. 'm:' .. m)
end
return out`,
);

/** A stored failure count as a DeadLetter, or `null` below the limit. */
function toDeadLetter(reply: Reply): DeadLetter | null {
  const record = toRecord(reply);
  if (record === null || record.dead === undefined) return null;
  return {
    adapterId: record.adapter ?? '',
    providerMessageId: record.pmid ?? '',
    channel: record.channel ?? '',
    attempts: Number(record.attempts),
    firstFailedAt: toDate(record.first ?? '0'),
    deadAt: toDate(record.dead),
    error: JSON.parse(record.error ?? '{}') as DeadLetter['error'],
    message: JSON.parse(record.message ?? '{}') as JsonObject,
  };
}

/**
 * Dead letters on Redis: `P{dl}:m:<adapterId>:<providerMessageId>` (a hash: attempts, first and
 * dead times, error and message JSON as strings) and `P{dl}:dead` (a zset of dead letters by
 * `deadAt`). Counting is one script, so concurrent failures each count once.
 *
 * @example
 * ```ts
 * const { deadLetter } = await store.deadLetters.recordFailure({ ...attempt, maxAttempts: 5 });
 * ```
 */
export function createDeadLetterStore(ctx: RedisContext): DeadLetterStore {
  const base = `${ctx.keys.prefix}{dl}:`;
  const member = (key: ProviderMessageKey) =>
    `${encodeURIComponent(key.adapterId)}:${key.providerMessageId}`;
  return {
    async recordFailure(input) {
      checkFailedAttempt(input);
      const error = JSON.stringify(input.error);
      const message = JSON.stringify(input.message);
      const reply = await ctx.conn.run(
        'deadLetters.recordFailure',
        RECORD_FAILURE,
        [`${base}m:${member(input)}`, `${base}dead`],
        [
          input.adapterId,
          input.providerMessageId,
          input.channel,
          String(input.at.getTime()),
          String(input.maxAttempts),
          error,
          message,
          member(input),
        ],
      );
      return { attempts: Number(toRecord(reply)?.attempts ?? 0), deadLetter: toDeadLetter(reply) };
    },

    async get(key) {
      return toDeadLetter(
        await ctx.conn.command('deadLetters.get', ['HGETALL', `${base}m:${member(key)}`]),
      );
    },

    async list(options = {}) {
      const limit = pageSize(options.limit, { ...DEAD_LETTER_PAGE, path: 'limit' });
      const reply = await ctx.conn.run(
        'deadLetters.list',
        LIST,
        [`${base}dead`],
        [
          options.since === undefined ? '-inf' : String(options.since.getTime()),
          String(limit),
          base,
        ],
      );
      return (Array.isArray(reply) ? reply : [])
        .map(toDeadLetter)
        .filter((dead): dead is DeadLetter => dead !== null);
    },
  };
}
