import { defineScript } from './connection';
import { READ_THREAD_LUA } from './threads';
import { READ_USER_LUA } from './users';

// The Lua of `inbound.record`. The claim that decides between concurrent records of one message
// lives in the slot where the entry is appended, so claim and append commit together.

/** Touches the identity hash `k`: the window only moves forward; reference only when given. */
const TOUCH_LUA = `local function touch(k, at, adapter, reference)
  local current = redis.call('HGET', k, 'inbound')
  if current == false or tonumber(at) > tonumber(current) then redis.call('HSET', k, 'inbound', at) end
  redis.call('HSET', k, 'adapter', adapter)
  if reference ~= '' then redis.call('HSET', k, 'reference', reference) end
end
`;

/** Whether the held hash `k` has a field for `channel` (fields are `<channel>\0<ordinal>`). */
const HAS_HELD_LUA = `local function has_held(k, channel)
  local prefix = channel .. '\\0'
  for _, field in ipairs(redis.call('HKEYS', k)) do
    if string.sub(field, 1, #prefix) == prefix then return 1 end
  end
  return 0
end
`;

/**
 * One script in the user's slot `{u:<userId>}`. KEYS: claims (`…:claims`, a zset of claim key →
 * expiry by the store's clock), identity,
 * user, phones, emails, thread-by-agent, thread-list, new thread, new entries, held. ARGV: now,
 * ttl, entry at, adapterId, reference JSON (''), agentId, new thread id, the user's tag, the key
 * prefix, entry JSON, channel, the seq already appended in a merged thread's slot ('' when none:
 * then this script ensures the thread and appends), claim key, the turn intent's id ('' when no
 * turn was asked for), the merged thread's id (with the seq already appended, else ''). Expired
 * claims are dropped on each write, and Redis's own expiry of the set (the longest TTL) only
 * frees an idle user's memory. With a turn id, the claims zset also gets the member
 * `<claimKey>\0<turnId>\0<seq>\0<threadId>` (see `inbound-claims.ts`): which entry this record
 * wrote, for `turns.claimDue` to bind the intent if the recorder dies before it does.
 *
 * Every check and read that can fail comes before the first write (Redis does not undo a script's
 * writes when a later command errors), so a reply other than 'ok', or an error, changed nothing:
 * `{'dup'}` (live claim), `{'noidentity'}` (the directory named this user but the identity or
 * user is gone: resolve again), `{'moved', threadId}` (the thread was inherited through a merge
 * and lives in another slot), `{'closed'}`. Otherwise `{'ok', identity, user, thread | '', seq,
 * hasHeld}`.
 */
export const RECORD_INBOUND = defineScript(
  'inbound-record',
  `${READ_USER_LUA}${READ_THREAD_LUA}${TOUCH_LUA}${HAS_HELD_LUA}local now = tonumber(ARGV[1])
local claim = redis.call('ZSCORE', KEYS[1], ARGV[13])
if claim and tonumber(claim) > now then return { 'dup' } end
if redis.call('EXISTS', KEYS[2]) == 0 then return { 'noidentity' } end
local user = read_user(KEYS[3], KEYS[4], KEYS[5])
if user == false then return { 'noidentity' } end
-- Read before the first write: Redis does not undo a script's writes when a later command fails.
local held = has_held(KEYS[10], ARGV[11])
local thread = ''
local seq = tonumber(ARGV[12])
local tid = ARGV[15]
if ARGV[12] == '' then
  tid = redis.call('HGET', KEYS[6], ARGV[6])
  local tk
  if tid then
    if string.sub(tid, 1, #ARGV[8]) ~= ARGV[8] then return { 'moved', tid } end
    tk = ARGV[9] .. 't:' .. tid
    if redis.call('HEXISTS', tk, 'closed') == 1 or redis.call('EXISTS', tk) == 0 then return { 'closed' } end
  else
    tid = ARGV[7]
    tk = KEYS[8]
    local order = redis.call('HINCRBY', KEYS[3], 'threads', 1)
    redis.call('HSET', tk, 'id', tid, 'user', redis.call('HGET', KEYS[3], 'id'), 'agent', ARGV[6], 'created', ARGV[1], 'seq', 0)
    redis.call('HSET', KEYS[6], ARGV[6], tid)
    redis.call('ZADD', KEYS[7], order, tid)
  end
  seq = redis.call('HINCRBY', tk, 'seq', 1)
  redis.call('RPUSH', ARGV[9] .. 'e:' .. tid, ARGV[10])
  thread = read_thread(tk)
end
touch(KEYS[2], ARGV[3], ARGV[4], ARGV[5])
local ttl = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZADD', KEYS[1], now + ttl, ARGV[13])
if ARGV[14] ~= '' then
  redis.call('ZADD', KEYS[1], now + ttl, ARGV[13] .. '\\0' .. ARGV[14] .. '\\0' .. seq .. '\\0' .. tid)
end
if redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end
return { 'ok', redis.call('HGETALL', KEYS[2]), read_user(KEYS[3], KEYS[4], KEYS[5]), thread, seq, held }`,
);

/**
 * In a merged thread's slot (the user it was made for). KEYS: thread, entries, claim there.
 * ARGV: now, ttl, entry JSON. Appends once per claim: a live claim answers the entry it appended
 * (its seq is stored in the claim), so a record that failed after this step finishes on retry
 * without a second entry. Answers `{ seq, thread, stored entry }`, or nil for a closed thread.
 */
export const APPEND_ONCE = defineScript(
  'inbound-append-once',
  `${READ_THREAD_LUA}local now = tonumber(ARGV[1])
local claim = redis.call('GET', KEYS[3])
if claim and tonumber(string.match(claim, '^[^:]+')) > now then
  local seq = tonumber(string.match(claim, ':(%d+)$'))
  return { seq, read_thread(KEYS[1]), redis.call('LINDEX', KEYS[2], seq - 1) }
end
if redis.call('EXISTS', KEYS[1]) == 0 or redis.call('HEXISTS', KEYS[1], 'closed') == 1 then return false end
local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
redis.call('RPUSH', KEYS[2], ARGV[3])
redis.call('SET', KEYS[3], (now + tonumber(ARGV[2])) .. ':' .. seq, 'PX', ARGV[2])
return { seq, read_thread(KEYS[1]), ARGV[3] }`,
);
