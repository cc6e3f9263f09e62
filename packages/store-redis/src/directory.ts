import { StoreError } from '@threadline/core';
import { defineScript } from './connection';
import type { RedisContext } from './context';

// The directory: single keys that name the user who owns a contact point or a channel address.
// They live outside the users' slots (a lookup starts from the name, not the user), so writing
// one and writing the user's own keys are two steps. The order that keeps them safe: the user's
// keys exist before any directory key points at them, and a directory key that points at a user
// who does not exist (erased, or a create that was rolled back) is stale and may be taken over.

/** How often a claim retries a stale name that concurrent callers keep changing under it. */
const CLAIM_ATTEMPTS = 5;

/** Sets the name to ARGV[1] unless someone else holds it; answers the holder. */
const CLAIM = defineScript(
  'directory-claim',
  `local owner = redis.call('GET', KEYS[1])
if owner == false then redis.call('SET', KEYS[1], ARGV[1]) return ARGV[1] end
return owner`,
);

/** Compare-and-set: moves the name from ARGV[1] (empty: unset) to ARGV[2] (empty: delete). */
const SWAP = defineScript(
  'directory-swap',
  `local owner = redis.call('GET', KEYS[1])
if (owner or '') ~= ARGV[1] then return 0 end
if ARGV[2] == '' then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[2]) end
return 1`,
);

/** Whether the user exists (its hash is the last thing erased and the first thing created). */
export async function userExists(ctx: RedisContext, userId: string): Promise<boolean> {
  return (await ctx.conn.command('users.exists', ['EXISTS', ctx.keys.user(userId)])) === 1;
}

/** The user a directory key names, or `null` when it names none or a user who no longer exists. */
export async function liveOwner(
  ctx: RedisContext,
  operation: string,
  key: string,
): Promise<string | null> {
  const owner = await ctx.conn.command(operation, ['GET', key]);
  if (typeof owner !== 'string') return null;
  return (await userExists(ctx, owner)) ? owner : null;
}

/**
 * Points directory key `key` at `userId`. Returns `null` on success (or when it already did), or
 * the id of the live user who holds it. A stale holder is replaced by compare-and-set, so two
 * callers racing for a stale name cannot both win.
 */
export async function claimName(
  ctx: RedisContext,
  operation: string,
  key: string,
  userId: string,
): Promise<string | null> {
  for (let attempt = 1; attempt <= CLAIM_ATTEMPTS; attempt += 1) {
    const owner = String(await ctx.conn.run(operation, CLAIM, [key], [userId]));
    if (owner === userId) return null;
    if (await userExists(ctx, owner)) return owner;
    if ((await swapName(ctx, operation, key, owner, userId)) === true) return null;
  }
  throw new StoreError(`Redis store: ${operation}: ${key} kept changing under it; try again`, {
    code: 'store_unavailable',
    retryable: true,
  });
}

/**
 * Moves directory key `key` from `from` to `to` if it still names `from` (`null`: unset / delete).
 * Returns whether it did.
 */
export async function swapName(
  ctx: RedisContext,
  operation: string,
  key: string,
  from: string | null,
  to: string | null,
): Promise<boolean> {
  return (await ctx.conn.run(operation, SWAP, [key], [from ?? '', to ?? ''])) === 1;
}
