import { defineScript } from './connection';
import type { RedisContext } from './context';

// The per-user inbound claims, apart from the record script so that a merge can carry them over
// without importing the user module (which imports the merge).

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
