import type { PendingTurn } from '@threadline/core';
import { defineScript } from './connection';
import { type RedisContext, toStrings } from './context';
import { createTurnStore } from './turns';

// The turns' side of a merge, an export and an erasure (see turns.ts for the layout under the
// `{tn}` tag: `turn:<id>` hashes with `user`, `thread` and `seq`, `due` holding every pending
// turn's id, `bymsg` mapping `<threadId>#<seq>` to the id). There is no index by user or thread:
// the scripts walk `due`, which holds only the turns in flight (a few per live instance, more
// only while instances are down), so each costs those, not the user's history.
const OWNED_LUA = `local B = ARGV[1]
local function owned(user, first)
  local threads = {}
  for i = first, #ARGV do threads[ARGV[i]] = true end
  local found = {}
  for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
    local f = redis.call('HMGET', B .. 'turn:' .. id, 'user', 'thread', 'seq')
    if (user ~= '' and f[1] == user) or (f[2] and threads[f[2]]) then
      found[#found + 1] = { id, f[2], f[3] }
    end
  end
  return found
end
`;

/** ARGV: base, userId ('' for none), threadIds…. `id, threadId, seq` of each turn found, flat. */
const FIND = defineScript(
  'turn-find',
  `${OWNED_LUA}local out = {}
for _, t in ipairs(owned(ARGV[2], 3)) do
  out[#out + 1] = t[1]
  out[#out + 1] = t[2]
  out[#out + 1] = t[3]
end
return out`,
);

/** ARGV: base, userId, threadIds…. Deletes the turns found, with their index entries; counts them. */
const ERASE = defineScript(
  'turn-erase',
  `${OWNED_LUA}local found = owned(ARGV[2], 3)
for _, t in ipairs(found) do
  local message = t[2] .. '#' .. t[3]
  if redis.call('HGET', KEYS[2], message) == t[1] then redis.call('HDEL', KEYS[2], message) end
  redis.call('ZREM', KEYS[1], t[1])
  redis.call('DEL', B .. 'turn:' .. t[1])
end
return #found`,
);

/**
 * ARGV: base, from user, into user, then (id, old thread, old seq, new thread, new seq) per
 * renumbered turn. A turn that is no longer where it was read (completed meanwhile) is skipped.
 * Every old message key goes before any new one is written: a new key may be another turn's old
 * one. Then every turn of the merged-away user is given to the survivor.
 */
const MOVE = defineScript(
  'turn-move',
  `local B = ARGV[1]
local moving = {}
for i = 4, #ARGV, 5 do
  local f = redis.call('HMGET', B .. 'turn:' .. ARGV[i], 'thread', 'seq')
  if f[1] == ARGV[i + 1] and f[2] == ARGV[i + 2] then
    moving[#moving + 1] = i
    local message = f[1] .. '#' .. f[2]
    if redis.call('HGET', KEYS[2], message) == ARGV[i] then redis.call('HDEL', KEYS[2], message) end
  end
end
for _, i in ipairs(moving) do
  redis.call('HSET', B .. 'turn:' .. ARGV[i], 'thread', ARGV[i + 3], 'seq', ARGV[i + 4])
  redis.call('HSET', KEYS[2], ARGV[i + 3] .. '#' .. ARGV[i + 4], ARGV[i])
end
if ARGV[2] ~= '' then
  for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
    local k = B .. 'turn:' .. id
    if redis.call('HGET', k, 'user') == ARGV[2] then redis.call('HSET', k, 'user', ARGV[3]) end
  end
end
return #moving`,
);

/** Where a pending turn's message is, as a merge reads it before renumbering. */
export interface TurnPlace {
  id: string;
  threadId: string;
  seq: number;
}

function turnKeys(ctx: RedisContext): { base: string; keys: string[] } {
  const base = `${ctx.keys.prefix}{tn}:`;
  return { base, keys: [`${base}due`, `${base}bymsg`] };
}

/** The pending turns of `userId` (or of no user, for `''`) and of `threadIds`, unordered. */
export async function findTurns(
  ctx: RedisContext,
  operation: string,
  input: { userId: string; threadIds: readonly string[] },
): Promise<TurnPlace[]> {
  const { base, keys } = turnKeys(ctx);
  const flat = toStrings(
    await ctx.conn.run(operation, FIND, keys, [base, input.userId, ...input.threadIds]),
  );
  const places: TurnPlace[] = [];
  for (let index = 0; index + 2 < flat.length; index += 3) {
    places.push({
      id: flat[index] as string,
      threadId: flat[index + 1] as string,
      seq: Number(flat[index + 2]),
    });
  }
  return places;
}

/** The user's pending turns (theirs, and those of `threadIds`), oldest first, for an export. */
export async function turnsOf(
  ctx: RedisContext,
  userId: string,
  threadIds: readonly string[],
): Promise<PendingTurn[]> {
  const places = await findTurns(ctx, 'privacy.exportUser', { userId, threadIds });
  // Read through the turn store, so the export shows a turn exactly as `turns.get` does.
  const store = createTurnStore(ctx);
  const turns = await Promise.all(places.map((place) => store.get(place.id)));
  return turns
    .filter((turn): turn is PendingTurn => turn !== null)
    .sort(
      (a, b) =>
        a.createdAt.getTime() - b.createdAt.getTime() || a.seq - b.seq || (a.id < b.id ? -1 : 1),
    );
}

/** Deletes the user's pending turns (theirs, and those of `threadIds`); returns how many. */
export async function eraseTurns(
  ctx: RedisContext,
  userId: string,
  threadIds: readonly string[],
): Promise<number> {
  const { base, keys } = turnKeys(ctx);
  const reply = await ctx.conn.run('privacy.eraseUser', ERASE, keys, [base, userId, ...threadIds]);
  return Number(reply);
}

/**
 * Repoints turns after a merge: each of `renumbered` from the place it was read at to its new
 * one, and (when `from` is set) every turn of user `from` to user `into`.
 */
export async function moveTurns(
  ctx: RedisContext,
  input: {
    from?: string;
    into: string;
    renumbered?: ReadonlyArray<{ place: TurnPlace; threadId: string; seq: number }>;
  },
): Promise<void> {
  const { base, keys } = turnKeys(ctx);
  const moves = (input.renumbered ?? []).flatMap(({ place, threadId, seq }) => [
    place.id,
    place.threadId,
    String(place.seq),
    threadId,
    String(seq),
  ]);
  await ctx.conn.run('users.merge', MOVE, keys, [base, input.from ?? '', input.into, ...moves]);
}
