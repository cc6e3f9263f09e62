import type { AddressKey, Identity, JsonValue } from '@threadline/core';
import { defineScript, type Reply } from './connection';
import { type RedisContext, setIf, toDate, toRecord } from './context';

// An identity as stored in its user's slot, and the writes a link and a merge make to it.

/**
 * KEYS: identity, identities, user. ARGV: channel, address, kind, userId, createdAt, member, then
 * the moved identity's inbound, adapter and reference ('' when absent). Writes the identity for
 * the user, keeping an existing one's state; nil when the user does not exist.
 */
const LINK_IDENTITY = defineScript(
  'identity-link',
  `if redis.call('EXISTS', KEYS[3]) == 0 then return false end
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('HSET', KEYS[1], 'channel', ARGV[1], 'address', ARGV[2], 'created', ARGV[5])
  if ARGV[7] ~= '' then redis.call('HSET', KEYS[1], 'inbound', ARGV[7]) end
  if ARGV[8] ~= '' then redis.call('HSET', KEYS[1], 'adapter', ARGV[8]) end
  if ARGV[9] ~= '' then redis.call('HSET', KEYS[1], 'reference', ARGV[9]) end
  redis.call('ZADD', KEYS[2], ARGV[5], ARGV[6])
end
redis.call('HSET', KEYS[1], 'kind', ARGV[3], 'user', ARGV[4])
return redis.call('HGETALL', KEYS[1])`,
);

/** KEYS: identity, identities. ARGV: member, userId. Removes it if it still belongs to the user. */
const DELETE_IDENTITY = defineScript(
  'identity-delete',
  `if redis.call('HGET', KEYS[1], 'user') ~= ARGV[2] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return 1`,
);

/** KEYS: identities. ARGV: the user's key base. Every identity of the user, oldest first. */
const LIST_IDENTITIES = defineScript(
  'identity-list',
  `local out = {}
for _, member in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  out[#out + 1] = redis.call('HGETALL', ARGV[1] .. 'identity:' .. member)
end
return out`,
);

/** A stored identity hash as an Identity, or `null`. */
export function toIdentity(reply: Reply): Identity | null {
  const record = toRecord(reply);
  if (record === null) return null;
  const identity: Identity = {
    channel: record.channel ?? '',
    address: record.address ?? '',
    kind: record.kind as Identity['kind'],
    userId: record.user ?? '',
    createdAt: toDate(record.created ?? '0'),
  };
  if (record.inbound !== undefined) identity.lastInboundAt = toDate(record.inbound);
  setIf(identity, 'lastAdapterId', record.adapter);
  if (record.reference !== undefined)
    identity.reference = JSON.parse(record.reference) as JsonValue;
  return identity;
}

/** Every identity of a user, oldest first. */
export async function identitiesOf(ctx: RedisContext, userId: string): Promise<Identity[]> {
  const reply = await ctx.conn.run(
    'identities.listByUser',
    LIST_IDENTITIES,
    [ctx.keys.identities(userId)],
    [ctx.keys.userBase(userId)],
  );
  return (Array.isArray(reply) ? reply : [])
    .map(toIdentity)
    .filter((identity): identity is Identity => identity !== null)
    .sort(
      (a, b) =>
        a.createdAt.getTime() - b.createdAt.getTime() ||
        a.channel.localeCompare(b.channel) ||
        a.address.localeCompare(b.address),
    );
}

/** The keys of {@link ENSURE_IDENTITY} and {@link LINK_IDENTITY} for an address of a user. */
export function identityKeys(ctx: RedisContext, key: AddressKey, userId: string): string[] {
  return [ctx.keys.identity(userId, key.channel, key.address), ctx.keys.identities(userId)];
}

/** Writes `identity`'s address for `userId` (a link or a merge), keeping its window and reference. */
export async function writeIdentity(
  ctx: RedisContext,
  operation: string,
  identity: Omit<Identity, 'userId'>,
  userId: string,
): Promise<Identity | null> {
  const reply = await ctx.conn.run(
    operation,
    LINK_IDENTITY,
    [...identityKeys(ctx, identity, userId), ctx.keys.user(userId)],
    [
      identity.channel,
      identity.address,
      identity.kind,
      userId,
      String(identity.createdAt.getTime()),
      ctx.keys.identityMember(identity.channel, identity.address),
      identity.lastInboundAt === undefined ? '' : String(identity.lastInboundAt.getTime()),
      identity.lastAdapterId ?? '',
      identity.reference === undefined ? '' : JSON.stringify(identity.reference),
    ],
  );
  return toIdentity(reply);
}

/** Removes an address from a user's identities (after it moved to another user). */
export async function dropIdentity(
  ctx: RedisContext,
  operation: string,
  key: AddressKey,
  userId: string,
): Promise<void> {
  await ctx.conn.run(operation, DELETE_IDENTITY, identityKeys(ctx, key, userId), [
    ctx.keys.identityMember(key.channel, key.address),
    userId,
  ]);
}
