import {
  type AddressKey,
  type Identity,
  type IdentityStore,
  NotFoundError,
  normalizeContact,
  type ResolvedIdentity,
  StoreError,
} from '@threadline/core';
import { defineScript } from './connection';
import type { RedisContext } from './context';
import { claimName, liveOwner, swapName } from './directory';
import {
  dropIdentity,
  identitiesOf,
  identityKeys,
  toIdentity,
  writeIdentity,
} from './identity-records';
import { adoptClaims } from './inbound-claims';
import { insertUser, READ_USER_LUA, readUser, toUser, userKeys } from './users';

/**
 * How often `resolve` starts over after losing a race for a directory key to a concurrent first
 * contact. Each retry finds what the winner wrote, so one is almost always enough.
 */
const RESOLVE_ATTEMPTS = 5;

/**
 * KEYS: identity, identities, user, phones, emails. ARGV: channel, address, kind, userId, now,
 * member. Creates the identity when missing (the user must exist); answers
 * `{ created, identity, user }`, or nil when the user does not exist.
 */
const ENSURE_IDENTITY = defineScript(
  'identity-ensure',
  `${READ_USER_LUA}local user = read_user(KEYS[3], KEYS[4], KEYS[5])
if user == false then return false end
local created = 0
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('HSET', KEYS[1], 'channel', ARGV[1], 'address', ARGV[2], 'kind', ARGV[3], 'user', ARGV[4], 'created', ARGV[5])
  redis.call('ZADD', KEYS[2], ARGV[5], ARGV[6])
  created = 1
end
return { created, redis.call('HGETALL', KEYS[1]), user }`,
);

/** KEYS: identity. ARGV: inboundAt, adapterId, reference JSON ('' when not given). */
const TOUCH_IDENTITY = defineScript(
  'identity-touch',
  `if redis.call('EXISTS', KEYS[1]) == 0 then return false end
if ARGV[1] ~= '' then
  local current = redis.call('HGET', KEYS[1], 'inbound')
  if current == false or tonumber(ARGV[1]) > tonumber(current) then redis.call('HSET', KEYS[1], 'inbound', ARGV[1]) end
end
if ARGV[2] ~= '' then redis.call('HSET', KEYS[1], 'adapter', ARGV[2]) end
if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], 'reference', ARGV[3]) end
return redis.call('HGETALL', KEYS[1])`,
);

/** The error when concurrent writers kept winning the address: retryable, nothing was lost. */
function contended(operation: string, key: AddressKey): StoreError {
  return new StoreError(
    `Redis store: ${operation} kept losing ${key.channel}:${key.address} to concurrent writers; try again`,
    { code: 'store_unavailable', retryable: true },
  );
}

/**
 * Channel addresses → users. The address's directory key names the user; the identity itself
 * (window, adapter, reference) lives in that user's slot, beside the threads, so that recording an
 * inbound message can one day be one script there. A phone or email identity seen for the first
 * time joins the user who owns that contact point; otherwise a new user is made first and the
 * address claimed for it after (the loser of a race deletes its unused user and finds the winner).
 *
 * @example
 * ```ts
 * const first = await store.identities.resolve({ channel: 'whatsapp', address: '+447700900123', kind: 'phone' });
 * const again = await store.identities.resolve({ channel: 'sms', address: '+447700900123', kind: 'phone' });
 * again.user.id === first.user.id; // true
 * ```
 */
export function createIdentityStore(ctx: RedisContext): IdentityStore {
  async function ensure(
    input: AddressKey & { kind: Identity['kind'] },
    userId: string,
  ): Promise<{ identity: Identity; created: boolean; user: ResolvedIdentity['user'] } | null> {
    const reply = await ctx.conn.run(
      'identities.resolve',
      ENSURE_IDENTITY,
      [...identityKeys(ctx, input, userId), ...userKeys(ctx, userId)],
      [
        input.channel,
        input.address,
        input.kind,
        userId,
        String(ctx.clock.now()),
        ctx.keys.identityMember(input.channel, input.address),
      ],
    );
    if (!Array.isArray(reply)) return null;
    const identity = toIdentity(reply[1] ?? null);
    const user = toUser(reply[2] ?? null);
    if (identity === null || user === null) return null;
    return { identity, user, created: reply[0] === 1 };
  }

  async function resolveOnce(
    input: Parameters<IdentityStore['resolve']>[0],
  ): Promise<ResolvedIdentity | null> {
    const addressKey = ctx.keys.address(input.channel, input.address);
    const known = await liveOwner(ctx, 'identities.resolve', addressKey);
    if (known !== null) {
      const found = await ensure(input, known);
      return found === null ? null : { ...found, userCreated: false };
    }
    // Channel-scoped ids (a PSID, a Teams id) are not contact points: they never match a user.
    const contact =
      input.kind === 'channel'
        ? null
        : normalizeContact({ kind: input.kind, value: input.address });
    const contactKey = contact === null ? null : ctx.keys.contact(contact.kind, contact.value);
    let userId =
      contactKey === null ? null : await liveOwner(ctx, 'identities.resolve', contactKey);
    const userCreated = userId === null;
    if (userId === null) {
      userId = ctx.generateId();
      const made = await insertUser(
        ctx,
        input.displayName === undefined
          ? { id: userId }
          : { id: userId, displayName: input.displayName },
        contact === null ? [] : [{ contact, path: 'address' }],
      );
      // Another first contact of this person won the contact point: start over and join theirs.
      if (made === null || 'taken' in made) return null;
    }
    const owner = await claimName(ctx, 'identities.resolve', addressKey, userId);
    if (owner !== null) {
      if (userCreated) await deleteUnused(userId, contactKey);
      return null;
    }
    const found = await ensure(input, userId);
    return found === null ? null : { ...found, userCreated };
  }

  /** Removes a user made for a first contact that another caller won. */
  async function deleteUnused(userId: string, contactKey: string | null): Promise<void> {
    if (contactKey !== null) await swapName(ctx, 'identities.resolve', contactKey, userId, null);
    await ctx.conn.command('identities.resolve', ['DEL', ...userKeys(ctx, userId)]);
  }

  return {
    async resolve(input) {
      for (let attempt = 1; ; attempt += 1) {
        const resolved = await resolveOnce(input);
        if (resolved !== null) return resolved;
        if (attempt >= RESOLVE_ATTEMPTS) throw contended('identities.resolve', input);
      }
    },

    async get(key) {
      const owner = await ctx.conn.command('identities.get', [
        'GET',
        ctx.keys.address(key.channel, key.address),
      ]);
      if (typeof owner !== 'string') return null;
      const reply = await ctx.conn.command('identities.get', [
        'HGETALL',
        ctx.keys.identity(owner, key.channel, key.address),
      ]);
      return toIdentity(reply);
    },

    async link(input) {
      if ((await readUser(ctx, input.userId)) === null)
        throw new NotFoundError('user', input.userId);
      const addressKey = ctx.keys.address(input.channel, input.address);
      for (let attempt = 1; attempt <= RESOLVE_ATTEMPTS; attempt += 1) {
        const previous = await ctx.conn.command('identities.link', ['GET', addressKey]);
        const previousId = typeof previous === 'string' ? previous : null;
        const current =
          previousId === null
            ? null
            : await this.get({ channel: input.channel, address: input.address });
        // The new owner's copy first, then the directory key, then the old copy: a reader that
        // follows the directory key at any moment finds an identity there.
        const written = await writeIdentity(
          ctx,
          'identities.link',
          current === null
            ? {
                channel: input.channel,
                address: input.address,
                kind: input.kind,
                createdAt: new Date(ctx.clock.now()),
              }
            : { ...current, kind: input.kind },
          input.userId,
        );
        if (written === null) throw new NotFoundError('user', input.userId);
        if (previousId === input.userId) return written;
        // Before the address moves: a retry of a message recorded for the old owner stays a
        // duplicate for the new one.
        if (previousId !== null) await adoptClaims(ctx, previousId, input.userId);
        if (!(await swapName(ctx, 'identities.link', addressKey, previousId, input.userId)))
          continue;
        if (previousId !== null) await dropIdentity(ctx, 'identities.link', input, previousId);
        return written;
      }
      throw contended('identities.link', input);
    },

    listByUser: (userId) => identitiesOf(ctx, userId),

    async touch(key, update) {
      const owner = await ctx.conn.command('identities.touch', [
        'GET',
        ctx.keys.address(key.channel, key.address),
      ]);
      const identity =
        typeof owner !== 'string'
          ? null
          : toIdentity(
              await ctx.conn.run(
                'identities.touch',
                TOUCH_IDENTITY,
                [ctx.keys.identity(owner, key.channel, key.address)],
                [
                  update.inboundAt === undefined ? '' : String(update.inboundAt.getTime()),
                  update.adapterId ?? '',
                  update.reference === undefined ? '' : JSON.stringify(update.reference),
                ],
              ),
            );
      if (identity === null) throw new NotFoundError('identity', `${key.channel}:${key.address}`);
      return identity;
    },
  };
}
