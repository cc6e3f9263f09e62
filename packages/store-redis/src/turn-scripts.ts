import { defineScript } from './connection';

// The Lua of durable agent turns. Every script runs in the `{tn}` slot: ARGV[1] is its key
// prefix (`P{tn}:`) and KEYS are always due, bymsg, intents (`turnKeys`). Keys:
//
// - `turn:<id>` hash: a turn bound to its message: id, thread, seq, user, adapter, channel,
//   address, attempts, lo (lease owner), le (lease expiry, store clock ms), created;
// - `due` zset: turn id by lease expiry (a claim reads the expired end);
// - `bymsg` hash: `<threadId>#<seq>` → turn id, so a message never gets two turns;
// - `intent:<id>` hash: a turn written by `inbound.record` before its message was recorded, so
//   not yet bound to a thread and seq: id, claim (the inbound claim key), adapter, channel,
//   address (the sender's), attempts, lo, le, created. Its id is the turn's id to be;
// - `intents` zset: intent id by lease expiry.
//
// A completed turn is deleted from `turn:`, `due` and `bymsg`; a bound or dropped intent from
// `intent:` and `intents`. Erasure of a user's pending turns finds bound turns by their `user`
// field and unbound intents by `channel` + `address` (they live one turn lease at most).
const TURNS_LUA = `local B = ARGV[1]
local function key(id) return B .. 'turn:' .. id end
local function intent_key(id) return B .. 'intent:' .. id end
local function drop_intent(id)
  redis.call('DEL', intent_key(id))
  redis.call('ZREM', KEYS[3], id)
end
`;

/** ARGV: base, id, thread, seq, user, adapter, channel, address, owner, lease expiry, now. */
export const ENQUEUE = defineScript(
  'turn-enqueue',
  `${TURNS_LUA}local message = ARGV[3] .. '#' .. ARGV[4]
if redis.call('HEXISTS', KEYS[2], message) == 1 then return false end
local k = key(ARGV[2])
redis.call('HSET', k, 'id', ARGV[2], 'thread', ARGV[3], 'seq', ARGV[4], 'user', ARGV[5],
  'adapter', ARGV[6], 'channel', ARGV[7], 'address', ARGV[8], 'attempts', 1, 'lo', ARGV[9],
  'le', ARGV[10], 'created', ARGV[11])
redis.call('HSET', KEYS[2], message, ARGV[2])
redis.call('ZADD', KEYS[1], ARGV[10], ARGV[2])
return redis.call('HGETALL', k)`,
);

/**
 * ARGV: base, id, claim key, adapter, channel, address, owner, lease expiry, now. Writes the
 * intent of the turn `inbound.record` is about to record, leased to the recorder.
 */
export const WRITE_INTENT = defineScript(
  'turn-intent',
  `${TURNS_LUA}redis.call('HSET', intent_key(ARGV[2]), 'id', ARGV[2], 'claim', ARGV[3], 'adapter', ARGV[4],
  'channel', ARGV[5], 'address', ARGV[6], 'attempts', 1, 'lo', ARGV[7], 'le', ARGV[8], 'created', ARGV[9])
redis.call('ZADD', KEYS[3], ARGV[8], ARGV[2])
return 1`,
);

/**
 * ARGV: base, id, thread, seq, user, adapter, channel, address, owner, lease expiry, now, mode.
 * Binds intent `id` to its recorded message and answers the turn (nil: a turn of this message
 * already exists, or, resolving, the caller does not hold the intent).
 *
 * - `record` (the recorder, right after the record): the turn is the recorder's, leased from the
 *   record (ARGV 9, 10), whoever holds the intent now; with no intent left (a resolver dropped it
 *   while the recorder stalled), the turn is made all the same: the message is recorded.
 * - `resolve` (`claimDue` taking over an intent whose lease ran out): only the intent's lease
 *   holder binds; the turn keeps that lease and counts the attempt.
 *
 * A turn already bound under `id` (a lost reply, a resolver first) is answered as it is.
 */
export const BIND_INTENT = defineScript(
  'turn-bind',
  `${TURNS_LUA}local id = ARGV[2]
local k = key(id)
if redis.call('EXISTS', k) == 1 then
  drop_intent(id)
  return redis.call('HGETALL', k)
end
local intent = redis.call('HMGET', intent_key(id), 'lo', 'le', 'attempts', 'created')
if ARGV[12] == 'resolve' and intent[1] ~= ARGV[9] then return false end
drop_intent(id)
local message = ARGV[3] .. '#' .. ARGV[4]
if redis.call('HEXISTS', KEYS[2], message) == 1 then return false end
local attempts, expires, created = 1, ARGV[10], ARGV[11]
if intent[4] then
  attempts = tonumber(intent[3])
  created = intent[4]
end
if ARGV[12] == 'resolve' then
  attempts = attempts + 1
  expires = intent[2]
end
redis.call('HSET', k, 'id', id, 'thread', ARGV[3], 'seq', ARGV[4], 'user', ARGV[5],
  'adapter', ARGV[6], 'channel', ARGV[7], 'address', ARGV[8], 'attempts', attempts, 'lo', ARGV[9],
  'le', expires, 'created', created)
redis.call('HSET', KEYS[2], message, id)
redis.call('ZADD', KEYS[1], expires, id)
return redis.call('HGETALL', k)`,
);

/** ARGV: base, id, owner ('' for any). Drops an unbound intent; 1 when it did. */
export const DROP_INTENT = defineScript(
  'turn-drop-intent',
  `${TURNS_LUA}local owner = redis.call('HGET', intent_key(ARGV[2]), 'lo')
if not owner or (ARGV[3] ~= '' and owner ~= ARGV[3]) then return 0 end
drop_intent(ARGV[2])
return 1`,
);

/**
 * ARGV: base, now, owner, lease ms, limit. Answers `{ turns, intents }`: first up to `limit`
 * intents whose lease ran out (their recorder died or stalled between its round trips), leased
 * to the caller so that exactly one caller resolves each; then, up to the rest of `limit`, turns
 * whose lease ran out, oldest first (created, seq), each leased to the caller with one more attempt,
 * none behind an earlier turn of its thread whose lease is live (so a thread's turns are taken over
 * in arrival order). The live ones are found in `due` too: it holds only turns in flight.
 */
export const CLAIM_DUE = defineScript(
  'turn-claim-due',
  `${TURNS_LUA}local now = tonumber(ARGV[2])
local limit = tonumber(ARGV[5])
local expires = now + tonumber(ARGV[4])
local intents = {}
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now, 'LIMIT', 0, limit)) do
  local ik = intent_key(id)
  if redis.call('EXISTS', ik) == 1 then
    redis.call('HSET', ik, 'lo', ARGV[3], 'le', expires)
    redis.call('ZADD', KEYS[3], expires, id)
    intents[#intents + 1] = redis.call('HGETALL', ik)
  else
    redis.call('ZREM', KEYS[3], id)
  end
end
local first_live = {}
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now, '+inf')) do
  local f = redis.call('HMGET', key(id), 'thread', 'seq')
  local seq = tonumber(f[2])
  if f[1] and seq and (first_live[f[1]] == nil or seq < first_live[f[1]]) then first_live[f[1]] = seq end
end
local rows = {}
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now)) do
  local fields = redis.call('HMGET', key(id), 'created', 'seq', 'thread')
  local seq = tonumber(fields[2])
  local live = fields[3] and first_live[fields[3]]
  if not (live and seq and live < seq) then
    rows[#rows + 1] = { id = id, created = tonumber(fields[1]), seq = seq }
  end
end
table.sort(rows, function(a, b)
  if a.created ~= b.created then return a.created < b.created end
  if a.seq ~= b.seq then return a.seq < b.seq end
  return a.id < b.id
end)
local out = {}
for i = 1, math.min(#rows, limit - #intents) do
  local k = key(rows[i].id)
  redis.call('HINCRBY', k, 'attempts', 1)
  redis.call('HSET', k, 'lo', ARGV[3], 'le', expires)
  redis.call('ZADD', KEYS[1], expires, rows[i].id)
  out[#out + 1] = redis.call('HGETALL', k)
end
return { out, intents }`,
);

/**
 * ARGV: base, id, owner, now, new expiry. 1 when `owner` holds a live lease: of the turn, or of
 * its intent while the turn is not bound yet (`inbound.record` answered a turn whose bind failed).
 */
export const RENEW = defineScript(
  'turn-renew',
  `${TURNS_LUA}local k = key(ARGV[2])
local zset = KEYS[1]
if redis.call('EXISTS', k) == 0 then
  k = intent_key(ARGV[2])
  zset = KEYS[3]
end
local lease = redis.call('HMGET', k, 'lo', 'le')
if lease[1] ~= ARGV[3] or tonumber(lease[2]) <= tonumber(ARGV[4]) then return 0 end
redis.call('HSET', k, 'le', ARGV[5])
redis.call('ZADD', zset, ARGV[5], ARGV[2])
return 1`,
);

/**
 * ARGV: base, id, owner. 1 when `owner` held it: the turn is deleted (or its unbound intent: the
 * turn ran, so nobody may resolve it into another run).
 */
export const COMPLETE = defineScript(
  'turn-complete',
  `${TURNS_LUA}local k = key(ARGV[2])
local turn = redis.call('HMGET', k, 'lo', 'thread', 'seq')
if not turn[1] then
  if redis.call('HGET', intent_key(ARGV[2]), 'lo') ~= ARGV[3] then return 0 end
  drop_intent(ARGV[2])
  return 1
end
if turn[1] ~= ARGV[3] then return 0 end
redis.call('HDEL', KEYS[2], turn[2] .. '#' .. turn[3])
redis.call('ZREM', KEYS[1], ARGV[2])
redis.call('DEL', k)
return 1`,
);

/** ARGV: base, id. A bound turn (an unbound intent has no thread or seq yet: nil). */
export const READ = defineScript(
  'turn-read',
  `${TURNS_LUA}return redis.call('HGETALL', key(ARGV[2]))`,
);
