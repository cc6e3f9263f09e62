import {
  type ContactPoint,
  checkContact,
  type JsonObject,
  NotFoundError,
  newUserContacts,
  normalizeContact,
  type User,
  type UserStore,
  ValidationError,
} from '@threadline/core';
import { defineScript, type Reply } from './connection';
import { type RedisContext, setIf, toDate, toRecord, toStrings } from './context';
import { claimName, swapName } from './directory';
import { mergeUsers } from './merge';

// KEYS of every user script: the user hash, its phone list, its email list (one slot).
const READ_USER_LUA = `local function read_user(ku, kp, ke)
  if redis.call('EXISTS', ku) == 0 then return false end
  return { redis.call('HGETALL', ku), redis.call('LRANGE', kp, 0, -1), redis.call('LRANGE', ke, 0, -1) }
end
`;

const READ_USER = defineScript(
  'user-read',
  `${READ_USER_LUA}return read_user(KEYS[1], KEYS[2], KEYS[3])`,
);

/** ARGV: id, createdAt, profile JSON, display name (empty: none). 0 when the id exists. */
const CREATE_USER = defineScript(
  'user-create',
  `if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'created', ARGV[2], 'updated', ARGV[2], 'profile', ARGV[3])
if ARGV[4] ~= '' then redis.call('HSET', KEYS[1], 'name', ARGV[4]) end
return 1`,
);

/** ARGV: now, display name (empty: keep), profile JSON (empty: keep). */
const UPDATE_USER = defineScript(
  'user-update',
  `${READ_USER_LUA}if redis.call('EXISTS', KEYS[1]) == 0 then return false end
redis.call('HSET', KEYS[1], 'updated', ARGV[1])
if ARGV[2] ~= '' then redis.call('HSET', KEYS[1], 'name', ARGV[2]) end
if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], 'profile', ARGV[3]) end
return read_user(KEYS[1], KEYS[2], KEYS[3])`,
);

/** ARGV: now, kind (phone|email), value. Appends the contact once; false for an unknown user. */
const ADD_CONTACT = defineScript(
  'user-add-contact',
  `${READ_USER_LUA}if redis.call('EXISTS', KEYS[1]) == 0 then return false end
local list = KEYS[3]
if ARGV[2] == 'phone' then list = KEYS[2] end
if redis.call('LPOS', list, ARGV[3]) == false then redis.call('RPUSH', list, ARGV[3]) end
redis.call('HSET', KEYS[1], 'updated', ARGV[1])
return read_user(KEYS[1], KEYS[2], KEYS[3])`,
);

/** Deletes a user's record (a create rolled back). */
const DELETE_USER = defineScript(
  'user-delete',
  `return redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])`,
);

/** The three keys every user script takes. */
export function userKeys(ctx: RedisContext, userId: string): string[] {
  return [ctx.keys.user(userId), ctx.keys.phones(userId), ctx.keys.emails(userId)];
}

/** A user script's reply (hash, phones, emails) as a User; `null` when the user does not exist. */
export function toUser(reply: Reply): User | null {
  if (!Array.isArray(reply)) return null;
  const record = toRecord(reply[0] ?? null);
  if (record === null) return null;
  const user: User = {
    id: record.id ?? '',
    phoneNumbers: toStrings(reply[1] ?? null),
    emails: toStrings(reply[2] ?? null),
    profile: JSON.parse(record.profile ?? '{}') as JsonObject,
    createdAt: toDate(record.created ?? '0'),
    updatedAt: toDate(record.updated ?? '0'),
  };
  setIf(user, 'displayName', record.name);
  return user;
}

/** The stored user, or `null`. */
export async function readUser(ctx: RedisContext, userId: string): Promise<User | null> {
  return toUser(await ctx.conn.run('users.get', READ_USER, userKeys(ctx, userId), []));
}

/** Sets a user's display name and profile (a merge); `null` for an unknown user. */
export async function mergeUserFields(
  ctx: RedisContext,
  userId: string,
  patch: { displayName?: string; profile?: JsonObject },
): Promise<User | null> {
  return toUser(
    await ctx.conn.run('users.update', UPDATE_USER, userKeys(ctx, userId), [
      String(ctx.clock.now()),
      patch.displayName ?? '',
      patch.profile === undefined ? '' : JSON.stringify(patch.profile),
    ]),
  );
}

/** The error for a contact point another user owns. */
function takenError(contact: ContactPoint, owner: string, path: string): ValidationError {
  return new ValidationError('contact point', [
    {
      path,
      message: `${contact.value} already belongs to user ${owner} (merge the users instead)`,
    },
  ]);
}

/**
 * Creates a user with `contacts`: the record first, then each contact's directory key, then the
 * contact lists. A contact another live user owns rolls everything back (and is returned), so
 * a directory key never names a user who was not created.
 */
export async function insertUser(
  ctx: RedisContext,
  input: { id: string; displayName?: string; profile?: JsonObject },
  contacts: ReadonlyArray<{ contact: ContactPoint; path: string }>,
): Promise<{ user: User } | { taken: ContactPoint; owner: string; path: string } | null> {
  const keys = userKeys(ctx, input.id);
  const created = await ctx.conn.run('users.create', CREATE_USER, keys, [
    input.id,
    String(ctx.clock.now()),
    JSON.stringify(input.profile ?? {}),
    input.displayName ?? '',
  ]);
  if (created !== 1) return null;
  const claimed: ContactPoint[] = [];
  for (const { contact, path } of contacts) {
    const key = ctx.keys.contact(contact.kind, contact.value);
    const owner = await claimName(ctx, 'users.create', key, input.id);
    if (owner !== null) {
      for (const mine of claimed) {
        await swapName(
          ctx,
          'users.create',
          ctx.keys.contact(mine.kind, mine.value),
          input.id,
          null,
        );
      }
      await ctx.conn.run('users.create', DELETE_USER, keys, []);
      return { taken: contact, owner, path };
    }
    claimed.push(contact);
  }
  let user: User | null = null;
  for (const contact of contacts.map((item) => item.contact)) {
    user = toUser(
      await ctx.conn.run('users.create', ADD_CONTACT, keys, [
        String(ctx.clock.now()),
        contact.kind,
        contact.value,
      ]),
    );
  }
  return { user: user ?? ((await readUser(ctx, input.id)) as User) };
}

/**
 * Users and their contact points. A user is a hash plus two lists under the user's hash tag; a
 * contact point's directory key names its owner, so one number or address is one person.
 *
 * @example
 * ```ts
 * const user = await store.users.create({ phoneNumbers: ['+447700900123'], emails: ['ann@example.com'] });
 * await store.users.findByContact({ kind: 'email', value: 'Ann@Example.com' }); // user
 * ```
 */
export function createUserStore(ctx: RedisContext): UserStore {
  return {
    async create(input) {
      const contacts = newUserContacts(input);
      const id = input.id ?? ctx.generateId();
      const fields: { id: string; displayName?: string; profile?: JsonObject } = { id };
      setIf(fields, 'displayName', input.displayName);
      setIf(fields, 'profile', input.profile);
      const result = await insertUser(ctx, fields, contacts);
      if (result === null) {
        throw new ValidationError('user', [{ path: 'id', message: `user ${id} exists` }]);
      }
      if ('taken' in result) throw takenError(result.taken, result.owner, result.path);
      return result.user;
    },

    get: (userId) => readUser(ctx, userId),

    async findByContact(contact) {
      const normalized = normalizeContact(contact);
      if (normalized === null) return null;
      const key = ctx.keys.contact(normalized.kind, normalized.value);
      const owner = await ctx.conn.command('users.findByContact', ['GET', key]);
      return typeof owner === 'string' ? readUser(ctx, owner) : null;
    },

    async update(userId, patch) {
      const user = await mergeUserFields(ctx, userId, patch);
      if (user === null) throw new NotFoundError('user', userId);
      return user;
    },

    async addContact(userId, contact) {
      const normalized = checkContact(contact, 'value');
      if ((await readUser(ctx, userId)) === null) throw new NotFoundError('user', userId);
      const key = ctx.keys.contact(normalized.kind, normalized.value);
      const owner = await claimName(ctx, 'users.addContact', key, userId);
      if (owner !== null) throw takenError(normalized, owner, 'value');
      const user = toUser(
        await ctx.conn.run('users.addContact', ADD_CONTACT, userKeys(ctx, userId), [
          String(ctx.clock.now()),
          normalized.kind,
          normalized.value,
        ]),
      );
      if (user === null) {
        await swapName(ctx, 'users.addContact', key, userId, null);
        throw new NotFoundError('user', userId);
      }
      return user;
    },

    merge: (input) => mergeUsers(ctx, input),
  };
}

export { ADD_CONTACT, READ_USER_LUA };
