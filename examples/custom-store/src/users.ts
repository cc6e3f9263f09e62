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
import { mergeUsers } from './merge';
import { date, json, optionalText, put, type StoreContext, text, toJson } from './rows';

/** A stored user with its contact points (in the order they were added), or `null`. */
export function readUser(ctx: StoreContext, userId: string): User | null {
  const row = ctx.db.get('SELECT * FROM users WHERE id = ?', [userId]);
  if (row === undefined) return null;
  const contacts = ctx.db.all(
    'SELECT kind, value FROM contacts WHERE user_id = ? ORDER BY position',
    [userId],
  );
  const user: User = {
    id: text(row, 'id'),
    phoneNumbers: contacts.filter((c) => c.kind === 'phone').map((c) => text(c, 'value')),
    emails: contacts.filter((c) => c.kind === 'email').map((c) => text(c, 'value')),
    profile: json<JsonObject>(row, 'profile') ?? {},
    createdAt: date(row, 'created_at'),
    updatedAt: date(row, 'updated_at'),
  };
  put(user, 'displayName', optionalText(row, 'display_name'));
  return user;
}

/** The user, or `NotFoundError`. */
export function requireUser(ctx: StoreContext, userId: string): User {
  const user = readUser(ctx, userId);
  if (user === null) throw new NotFoundError('user', userId);
  return user;
}

/** The id of the user who owns a normalised contact point. */
export function contactOwner(ctx: StoreContext, contact: ContactPoint): string | undefined {
  const row = ctx.db.get('SELECT user_id FROM contacts WHERE kind = ? AND value = ?', [
    contact.kind,
    contact.value,
  ]);
  return row === undefined ? undefined : text(row, 'user_id');
}

/** Gives a normalised contact point to a user, after the ones it has (no-op if it has it). */
export function attachContact(ctx: StoreContext, userId: string, contact: ContactPoint): void {
  ctx.db.run(
    `INSERT OR IGNORE INTO contacts (kind, value, user_id, position)
     VALUES (?, ?, ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM contacts WHERE user_id = ?))`,
    [contact.kind, contact.value, userId, userId],
  );
}

/** Inserts a user row (no contact checks): for `create` and for first contact in `resolve`. */
export function insertUser(
  ctx: StoreContext,
  input: { id?: string; displayName?: string; profile?: JsonObject },
): string {
  const id = input.id ?? ctx.newId();
  const at = ctx.clock.now();
  ctx.db.run(
    'INSERT INTO users (id, display_name, profile, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
    [id, input.displayName, JSON.stringify(input.profile ?? {}), at, at],
  );
  return id;
}

/** `ValidationError` when a normalised contact point belongs to someone other than `userId`. */
function checkFree(ctx: StoreContext, contact: ContactPoint, path: string, userId?: string): void {
  const owner = contactOwner(ctx, contact);
  if (owner !== undefined && owner !== userId) {
    throw new ValidationError('contact point', [
      {
        path,
        message: `${contact.value} already belongs to user ${owner} (merge the users instead)`,
      },
    ]);
  }
}

/**
 * Users and their contact points, normalised with `normalizeContact` before they are stored or
 * looked up, so `+44 7700 900123` and `+447700900123` find one person.
 */
export function createUserStore(ctx: StoreContext): UserStore {
  return {
    async create(input) {
      if (input.id !== undefined && readUser(ctx, input.id) !== null) {
        throw new ValidationError('user', [{ path: 'id', message: `user ${input.id} exists` }]);
      }
      // Every contact is checked before anything is written: a refused create leaves no trace.
      const contacts = newUserContacts(input);
      for (const { contact, path } of contacts) checkFree(ctx, contact, path);
      return ctx.db.transaction(() => {
        const id = insertUser(ctx, input);
        for (const { contact } of contacts) attachContact(ctx, id, contact);
        return requireUser(ctx, id);
      });
    },

    async get(userId) {
      return readUser(ctx, userId);
    },

    async findByContact(contact) {
      const normalized = normalizeContact(contact);
      const owner = normalized === null ? undefined : contactOwner(ctx, normalized);
      return owner === undefined ? null : readUser(ctx, owner);
    },

    async update(userId, patch) {
      requireUser(ctx, userId);
      // One statement: an absent field (NULL here) keeps the stored value.
      ctx.db.run(
        `UPDATE users SET display_name = COALESCE(?, display_name), profile = COALESCE(?, profile),
           updated_at = ? WHERE id = ?`,
        [patch.displayName, toJson(patch.profile), ctx.clock.now(), userId],
      );
      return requireUser(ctx, userId);
    },

    async addContact(userId, contact) {
      requireUser(ctx, userId);
      const normalized = checkContact(contact, 'value');
      checkFree(ctx, normalized, 'value', userId);
      return ctx.db.transaction(() => {
        attachContact(ctx, userId, normalized);
        ctx.db.run('UPDATE users SET updated_at = ? WHERE id = ?', [ctx.clock.now(), userId]);
        return requireUser(ctx, userId);
      });
    },

    async merge(input) {
      return ctx.db.transaction(() => mergeUsers(ctx, input));
    },
  };
}
