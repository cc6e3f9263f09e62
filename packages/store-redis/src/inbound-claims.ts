import { defineScript } from './connection';
import type { RedisContext } from './context';

// The per-user inbound claims, apart from the record script so that a merge can carry them over
// without importing the user module (which imports the merge).
//
// The claims zset holds two kinds of member, both scored by the claim's expiry:
// - `<claimKey>`: the claim itself (a live one makes a retry a duplicate);
// - `<claimKey>\0<turnId>\0<seq>\0<threadId>`: written by a record that was asked for a turn
//   (`InboundRecordInput.turn`): which entry the claim recorded, and the id of the turn intent
//   of the call that recorded it. `turns.claimDue` reads it to bind an intent whose recorder died
//   before binding it. Keeping it in the same key means a merge, a link and an erasure carry or
//   delete it with the claim, and it expires with it.

/**
 * KEYS: `into`'s claims. ARGV: now, then claim key and expiry pairs (from `from`'s claims). A
 * merge carries the live claims over, so a provider's retry of a message recorded for `from`
 * stays a duplicate once the address names `into`.
 */
export const ADOPT_CLAIMS = defineScript(
  'inbound-adopt-claims',
  `local now = tonumber(ARGV[1])
local longest = 0
for i = 2, #ARGV, 2 do
  local expires = tonumber(ARGV[i + 1])
  if expires > now then
    -- GT adds a new member, and keeps the later expiry of one both users hold.
    redis.call('ZADD', KEYS[1], 'GT', expires, ARGV[i])
    longest = math.max(longest, expires - now)
  end
end
if longest > 0 and redis.call('PTTL', KEYS[1]) < longest then redis.call('PEXPIRE', KEYS[1], longest) end
return 1`,
);

/**
 * KEYS: claims. ARGV: claim key. The turn member's tail (`<turnId>\0<seq>\0<threadId>`), or nil.
 * Looked up among the members of the claim's own score (written together, so the same score);
 * a merge that kept the later of two expiries may have split them, so then the whole set.
 */
const RECORDED_TURN = defineScript(
  'inbound-recorded-turn',
  `local prefix = ARGV[1] .. '\\0'
local function find(members)
  for _, m in ipairs(members) do
    if string.sub(m, 1, #prefix) == prefix then return string.sub(m, #prefix + 1) end
  end
  return false
end
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
local found = false
if score then found = find(redis.call('ZRANGEBYSCORE', KEYS[1], score, score)) end
if not found then found = find(redis.call('ZRANGE', KEYS[1], 0, -1)) end
return found`,
);

/** The user's inbound claims: a zset of claim key → expiry (store clock, ms). */
export function claimsKey(ctx: RedisContext, userId: string): string {
  return `${ctx.keys.userBase(userId)}claims`;
}

/**
 * Carries `from`'s live inbound claims over to `into` (a merge, before the addresses move), so a
 * provider's retry of a message recorded for `from` is still a duplicate.
 */
export async function adoptClaims(ctx: RedisContext, from: string, into: string): Promise<void> {
  const now = String(ctx.clock.now());
  const live = await ctx.conn.command('users.merge', [
    'ZRANGEBYSCORE',
    claimsKey(ctx, from),
    `(${now}`,
    '+inf',
    'WITHSCORES',
  ]);
  if (!Array.isArray(live) || live.length === 0) return;
  await ctx.conn.run(
    'users.merge',
    ADOPT_CLAIMS,
    [claimsKey(ctx, into)],
    [now, ...live.map(String)],
  );
}

/** The entry a claim recorded, and the turn intent of the call that recorded it. */
export interface RecordedTurn {
  /** The id of the recording call's turn intent (the turn's id). */
  turnId: string;
  threadId: string;
  seq: number;
}

/**
 * Which entry `claimKey` recorded for `userId`, when the record was asked for a turn; `null`
 * when that user's slot holds no such record (never recorded, recorded without a turn, or its
 * claim expired and was dropped).
 */
export async function recordedTurn(
  ctx: RedisContext,
  userId: string,
  claimKey: string,
): Promise<RecordedTurn | null> {
  const reply = await ctx.conn.run(
    'turns.claimDue',
    RECORDED_TURN,
    [claimsKey(ctx, userId)],
    [claimKey],
  );
  if (typeof reply !== 'string') return null;
  const first = reply.indexOf('\u0000');
  const second = reply.indexOf('\u0000', first + 1);
  if (first < 0 || second < 0) return null;
  return {
    turnId: reply.slice(0, first),
    seq: Number(reply.slice(first + 1, second)),
    threadId: reply.slice(second + 1),
  };
}
