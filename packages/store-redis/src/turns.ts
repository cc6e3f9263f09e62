import { checkCount, checkDuration, type PendingTurn, type TurnStore } from '@threadline/core';
import { defineScript, type Reply } from './connection';
import { type RedisContext, toDate, toRecord } from './context';

// Turns live under the `{tn}` hash tag (ARGV[1] is its key prefix), so every script touches one
// slot: `turn:<id>` hashes, `due` (turn id by lease expiry: a claim reads the expired end),
// `bymsg` (`<threadId>#<seq>` → id, so enqueueing a pending turn twice is a no-op) and
// `thread:<threadId>` (its pending turn ids by seq, so a claim can see an earlier turn's live
// lease). A completed turn is deleted from all four.
const TURNS_LUA = `local B = ARGV[1]
local function key(id) return B .. 'turn:' .. id end
local function threadKey(thread) return B .. 'thread:' .. thread end
`;

/** ARGV: base, id, thread, seq, user, adapter, channel, address, owner, lease expiry, now. */
const ENQUEUE = defineScript(
  'turn-enqueue',
  `${TURNS_LUA}local message = ARGV[3] .. '#' .. ARGV[4]
if redis.call('HEXISTS', KEYS[2], message) == 1 then return false end
local k = key(ARGV[2])
redis.call('HSET', k, 'id', ARGV[2], 'thread', ARGV[3], 'seq', ARGV[4], 'user', ARGV[5],
  'adapter', ARGV[6], 'channel', ARGV[7], 'address', ARGV[8], 'attempts', 1, 'lo', ARGV[9],
  'le', ARGV[10], 'created', ARGV[11])
redis.call('HSET', KEYS[2], message, ARGV[2])
redis.call('ZADD', KEYS[1], ARGV[10], ARGV[2])
redis.call('ZADD', threadKey(ARGV[3]), ARGV[4], ARGV[2])
return redis.call('HGETALL', k)`,
);

/**
 * ARGV: base, now, owner, lease ms, limit. Expired leases, oldest turn first (created, seq), none
 * behind an earlier turn of its thread with a live lease (checked before this claim leases any).
 */
const CLAIM_DUE = defineScript(
  'turn-claim-due',
  `${TURNS_LUA}local now = tonumber(ARGV[2])
local function behindLive(thread, seq)
  for _, other in ipairs(redis.call('ZRANGEBYSCORE', threadKey(thread), '-inf', '(' .. seq)) do
    local expires = tonumber(redis.call('HGET', key(other), 'le'))
    if expires and expires > now then return true end
  end
  return false
end
local rows = {}
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now)) do
  local fields = redis.call('HMGET', key(id), 'created', 'seq', 'thread')
  if not (fields[3] and behindLive(fields[3], fields[2])) then
    rows[#rows + 1] = { id = id, created = tonumber(fields[1]), seq = tonumber(fields[2]) }
  end
end
table.sort(rows, function(a, b)
  if a.created ~= b.created then return a.created < b.created end
  if a.seq ~= b.seq then return a.seq < b.seq end
  return a.id < b.id
end)
local expires = now + tonumber(ARGV[4])
local out = {}
for i = 1, math.min(#rows, tonumber(ARGV[5])) do
  local k = key(rows[i].id)
  redis.call('HINCRBY', k, 'attempts', 1)
  redis.call('HSET', k, 'lo', ARGV[3], 'le', expires)
  redis.call('ZADD', KEYS[1], expires, rows[i].id)
  out[#out + 1] = redis.call('HGETALL', k)
end
return out`,
);

/** ARGV: base, id, owner, now, new expiry. 1 when `owner` holds a live lease. */
const RENEW = defineScript(
  'turn-renew',
  `${TURNS_LUA}local k = key(ARGV[2])
local lease = redis.call('HMGET', k, 'lo', 'le')
if lease[1] ~= ARGV[3] or tonumber(lease[2]) <= tonumber(ARGV[4]) then return 0 end
redis.call('HSET', k, 'le', ARGV[5])
redis.call('ZADD', KEYS[1], ARGV[5], ARGV[2])
return 1`,
);

/** ARGV: base, id, owner. 1 when `owner` held it (the turn is deleted). */
const COMPLETE = defineScript(
  'turn-complete',
  `${TURNS_LUA}local k = key(ARGV[2])
local turn = redis.call('HMGET', k, 'lo', 'thread', 'seq')
if turn[1] ~= ARGV[3] then return 0 end
redis.call('HDEL', KEYS[2], turn[2] .. '#' .. turn[3])
redis.call('ZREM', KEYS[1], ARGV[2])
redis.call('ZREM', threadKey(turn[2]), ARGV[2])
redis.call('DEL', k)
return 1`,
);

/** ARGV: base, id. */
const READ = defineScript('turn-read', `${TURNS_LUA}return redis.call('HGETALL', key(ARGV[2]))`);

function toTurn(reply: Reply): PendingTurn | null {
  const record = toRecord(reply);
  if (record === null) return null;
  return {
    id: record.id ?? '',
    threadId: record.thread ?? '',
    seq: Number(record.seq ?? 0),
    userId: record.user ?? '',
    adapterId: record.adapter ?? '',
    channel: record.channel ?? '',
    address: record.address ?? '',
    attempts: Number(record.attempts ?? 0),
    lease: { owner: record.lo ?? '', expiresAt: toDate(record.le ?? '0') },
    createdAt: toDate(record.created ?? '0'),
  };
}

/**
 * Durable agent turns under the `{tn}` hash tag: each method is one script in that slot, so a
 * claim never hands one turn to two callers, nor one thread's turns out of order.
 *
 * @example
 * ```ts
 * const due = await store.turns.claimDue({ owner: 'instance-b', limit: 20, leaseMs: 60_000 });
 * ```
 */
export function createTurnStore(ctx: RedisContext): TurnStore {
  const base = `${ctx.keys.prefix}{tn}:`;
  const keys = [`${base}due`, `${base}bymsg`];
  const now = () => ctx.clock.now();

  return {
    async enqueue(input) {
      checkDuration(input.leaseMs, 'leaseMs', 'lease');
      const at = now();
      const reply = await ctx.conn.run('turns.enqueue', ENQUEUE, keys, [
        base,
        ctx.generateId(),
        input.threadId,
        String(input.seq),
        input.userId,
        input.adapterId,
        input.channel,
        input.address,
        input.owner,
        String(at + Math.ceil(input.leaseMs)),
        String(at),
      ]);
      return toTurn(reply);
    },

    async claimDue({ owner, limit, leaseMs }) {
      checkCount(limit, 'limit', 'turn claim');
      checkDuration(leaseMs, 'leaseMs', 'lease');
      const reply = await ctx.conn.run('turns.claimDue', CLAIM_DUE, keys, [
        base,
        String(now()),
        owner,
        String(Math.ceil(leaseMs)),
        String(limit),
      ]);
      return (Array.isArray(reply) ? reply : [])
        .map(toTurn)
        .filter((turn): turn is PendingTurn => turn !== null);
    },

    async renew(id, { owner, leaseMs }) {
      checkDuration(leaseMs, 'leaseMs', 'lease');
      const at = now();
      const reply = await ctx.conn.run('turns.renew', RENEW, keys, [
        base,
        id,
        owner,
        String(at),
        String(at + Math.ceil(leaseMs)),
      ]);
      return reply === 1;
    },

    async complete(id, owner) {
      return (await ctx.conn.run('turns.complete', COMPLETE, keys, [base, id, owner])) === 1;
    },

    async get(id) {
      return toTurn(await ctx.conn.run('turns.get', READ, keys, [base, id]));
    },
  };
}
