import type { Delivery } from '@threadline/core';
import { defineScript } from './connection';
import type { RedisContext } from './context';
import { OUTBOX_LUA, outboxKeys, PROVIDER_ID_SEPARATOR, toDeliveries } from './delivery-records';

// The outbox's side of a merge, an export and an erasure: the deliveries of a user (addressed to
// them, or recorded in one of their threads) found through the `user:` and `thread:` indexes.
const OWNED_LUA = `local function owned(user, first)
  local seen, found = {}, {}
  local function add(id)
    if seen[id] then return end
    seen[id] = true
    local m = redis.call('HGET', B .. 'd:' .. id, 'm')
    if m then found[#found + 1] = m end
  end
  for _, id in ipairs(redis.call('ZRANGE', B .. 'user:' .. user, 0, -1)) do add(id) end
  for i = first, #ARGV do
    for _, id in ipairs(redis.call('SMEMBERS', B .. 'thread:' .. ARGV[i])) do add(id) end
  end
  table.sort(found)
  local ids = {}
  for i, m in ipairs(found) do ids[i] = string.sub(m, 18) end
  return ids
end
`;

/** ARGV: base, userId, threadIds…. The user's deliveries in creation order. */
const EXPORT = defineScript(
  'delivery-export',
  `${OUTBOX_LUA}${OWNED_LUA}local out = {}
for _, id in ipairs(owned(ARGV[2], 3)) do
  local found = read(id)
  if found then out[#out + 1] = found end
end
return out`,
);

/** ARGV: base, separator, userId, threadIds…. Deletes the user's deliveries with every index entry. */
const ERASE = defineScript(
  'delivery-erase',
  `${OUTBOX_LUA}${OWNED_LUA}local count = 0
for _, id in ipairs(owned(ARGV[3], 4)) do
  local k = B .. 'd:' .. id
  local f = redis.call('HMGET', k, 'm', 'doc', 'adapter', 'pmid', 'pmids', 'user', 'thread')
  if f[1] then
    unqueue(f[1])
    local key = cjson.decode(f[2]).idempotencyKey
    if key and redis.call('HGET', B .. 'idem', key) == id then redis.call('HDEL', B .. 'idem', key) end
    unindex(id, f[3], f[4], f[5], ARGV[2])
    if f[6] then redis.call('ZREM', B .. 'user:' .. f[6], id) end
    if f[7] then redis.call('SREM', B .. 'thread:' .. f[7], id) end
    redis.call('ZREM', B .. 'all', id)
    redis.call('DEL', k, B .. 'ev:' .. id)
    count = count + 1
  end
end
return count`,
);

/**
 * ARGV: base, from user, into user, then pairs of (thread merged away, thread it joined).
 * Readdresses a merged user's deliveries, and those of merged threads, to the survivors.
 */
const MOVE = defineScript(
  'delivery-move',
  `${OUTBOX_LUA}local moved = redis.call('ZRANGE', B .. 'user:' .. ARGV[2], 0, -1, 'WITHSCORES')
for i = 1, #moved, 2 do
  redis.call('HSET', B .. 'd:' .. moved[i], 'user', ARGV[3])
  redis.call('ZADD', B .. 'user:' .. ARGV[3], moved[i + 1], moved[i])
end
redis.call('DEL', B .. 'user:' .. ARGV[2])
for i = 4, #ARGV - 1, 2 do
  for _, id in ipairs(redis.call('SMEMBERS', B .. 'thread:' .. ARGV[i])) do
    redis.call('HSET', B .. 'd:' .. id, 'thread', ARGV[i + 1])
    redis.call('SADD', B .. 'thread:' .. ARGV[i + 1], id)
  end
  redis.call('DEL', B .. 'thread:' .. ARGV[i])
end
return 1`,
);

/** The deliveries of a user: addressed to them or recorded in one of `threadIds`, oldest first. */
export async function deliveriesOf(
  ctx: RedisContext,
  userId: string,
  threadIds: readonly string[],
): Promise<Delivery[]> {
  const base = ctx.keys.outbox;
  const reply = await ctx.conn.run('privacy.exportUser', EXPORT, outboxKeys(base), [
    base,
    userId,
    ...threadIds,
  ]);
  return toDeliveries(reply);
}

/** Deletes the deliveries of a user (see {@link deliveriesOf}); returns how many. */
export async function eraseDeliveries(
  ctx: RedisContext,
  userId: string,
  threadIds: readonly string[],
): Promise<number> {
  const base = ctx.keys.outbox;
  const reply = await ctx.conn.run('privacy.eraseUser', ERASE, outboxKeys(base), [
    base,
    PROVIDER_ID_SEPARATOR,
    userId,
    ...threadIds,
  ]);
  return Number(reply);
}

/** Readdresses deliveries after a merge: user `from` → `into`, each merged thread → its survivor. */
export async function moveDeliveries(
  ctx: RedisContext,
  input: { from: string; into: string; threads: ReadonlyArray<[string, string]> },
): Promise<void> {
  const base = ctx.keys.outbox;
  await ctx.conn.run('users.merge', MOVE, outboxKeys(base), [
    base,
    input.from,
    input.into,
    ...input.threads.flat(),
  ]);
}
