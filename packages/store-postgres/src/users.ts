import {
  type ContactPoint,
  checkContact,
  NotFoundError,
  newUserContacts,
  normalizeContact,
  type User,
  type UserStore,
  ValidationError,
} from '@threadline/core';
import type { Database } from './database';
import type { Queryable } from './driver/driver';
import { mergeUsers } from './merge';
import type { Names } from './names';
import { jsonParam, type Row, timeParam, toDate, withOptional } from './rows';

/** The columns of a user, contact points included, from `users` aliased as `u`. */
export function userColumns(n: Names): string {
  return `u.id, u.display_name, u.profile, u.created_at, u.updated_at,
    ARRAY(SELECT c.value FROM ${n.contacts} c WHERE c.user_id = u.id AND c.kind = 'phone' ORDER BY c.ord) AS phone_numbers,
    ARRAY(SELECT c.value FROM ${n.contacts} c WHERE c.user_id = u.id AND c.kind = 'email' ORDER BY c.ord) AS emails`;
}

/** A row of {@link userColumns} as a User. */
export function toUser(row: Row): User {
  const user: User = {
    id: String(row.id),
    phoneNumbers: row.phone_numbers as string[],
    emails: row.emails as string[],
    profile: row.profile as User['profile'],
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
  return withOptional(user, row, { display_name: 'displayName' });
}

/** The stored user, or `null`. */
export async function readUser(q: Queryable, n: Names, userId: string): Promise<User | null> {
  const [row] = await q.query(`SELECT ${userColumns(n)} FROM ${n.users} u WHERE u.id = $1`, [
    userId,
  ]);
  return row === undefined ? null : toUser(row);
}

/** Inserts a user row (no contact points): used by `create` and by identity resolution. */
export async function insertUser(
  q: Queryable,
  db: Database,
  input: { id?: string; displayName?: string; profile?: User['profile'] },
): Promise<string | null> {
  const at = timeParam(db.now());
  const rows = await q.query(
    `INSERT INTO ${db.names.users} (id, display_name, profile, created_at, updated_at)
     VALUES ($1, $2, COALESCE($3::jsonb, '{}'::jsonb), $4, $4)
     ON CONFLICT (id) DO NOTHING RETURNING id`,
    [input.id ?? db.generateId(), input.displayName ?? null, jsonParam(input.profile), at],
  );
  return rows[0] === undefined ? null : String(rows[0].id);
}

/**
 * Gives `userId` a normalised contact point. Returns the owner when another user already has it
 * (nothing is written), or `null` on success, idempotently for the same user. The primary key on
 * (kind, value) decides between concurrent callers.
 */
export async function attachContact(
  q: Queryable,
  n: Names,
  userId: string,
  contact: ContactPoint,
): Promise<string | null> {
  const inserted = await q.query(
    `INSERT INTO ${n.contacts} (kind, value, user_id) VALUES ($1, $2, $3)
     ON CONFLICT (kind, value) DO NOTHING RETURNING user_id`,
    [contact.kind, contact.value, userId],
  );
  if (inserted.length > 0) return null;
  const [owner] = await q.query(
    `SELECT user_id FROM ${n.contacts} WHERE kind = $1 AND value = $2`,
    [contact.kind, contact.value],
  );
  const ownerId = owner === undefined ? null : String(owner.user_id);
  return ownerId === userId ? null : ownerId;
}

/** `attachContact`, throwing the contract's `ValidationError` when another user owns it. */
async function requireContact(
  q: Queryable,
  n: Names,
  userId: string,
  contact: ContactPoint,
  path: string,
): Promise<void> {
  const owner = await attachContact(q, n, userId, contact);
  if (owner === null) return;
  throw new ValidationError('contact point', [
    {
      path,
      message: `${contact.value} already belongs to user ${owner} (merge the users instead)`,
    },
  ]);
}

/**
 * Users and their contact points, in `users` and `contacts`. Phone numbers are stored in E.164
 * and emails lower-cased; the primary key of `contacts` makes one number or address one person.
 *
 * @example
 * ```ts
 * const user = await store.users.create({ phoneNumbers: ['+447700900123'], emails: ['ann@example.com'] });
 * await store.users.findByContact({ kind: 'email', value: 'Ann@Example.com' }); // user
 * ```
 */
export function createUserStore(db: Database): UserStore {
  const n = db.names;

  return {
    async create(input) {
      // Check every contact before writing anything; the transaction makes a refusal leave no trace.
      const contacts = newUserContacts(input);
      return db.transaction('users.create', async (tx) => {
        const id = await insertUser(tx, db, input);
        if (id === null) {
          throw new ValidationError('user', [{ path: 'id', message: `user ${input.id} exists` }]);
        }
        for (const { contact, path } of contacts) await requireContact(tx, n, id, contact, path);
        return (await readUser(tx, n, id)) as User;
      });
    },

    get: (userId) => readUser(db.bound('users.get'), n, userId),

    async findByContact(contact) {
      const normalized = normalizeContact(contact);
      if (normalized === null) return null;
      const [row] = await db.query(
        'users.findByContact',
        `SELECT ${userColumns(n)} FROM ${n.contacts} c0 JOIN ${n.users} u ON u.id = c0.user_id
         WHERE c0.kind = $1 AND c0.value = $2`,
        [normalized.kind, normalized.value],
      );
      return row === undefined ? null : toUser(row);
    },

    async update(userId, patch) {
      const [row] = await db.query(
        'users.update',
        `WITH u AS (
           UPDATE ${n.users} SET display_name = COALESCE($2, display_name),
             profile = COALESCE($3::jsonb, profile), updated_at = $4
           WHERE id = $1 RETURNING *)
         SELECT ${userColumns(n)} FROM u`,
        [userId, patch.displayName ?? null, jsonParam(patch.profile), timeParam(db.now())],
      );
      if (row === undefined) throw new NotFoundError('user', userId);
      return toUser(row);
    },

    async addContact(userId, contact) {
      const normalized = checkContact(contact, 'value');
      return db.transaction('users.addContact', async (tx) => {
        const touched = await tx.query(
          `UPDATE ${n.users} SET updated_at = $2 WHERE id = $1 RETURNING id`,
          [userId, timeParam(db.now())],
        );
        if (touched.length === 0) throw new NotFoundError('user', userId);
        await requireContact(tx, n, userId, normalized, 'value');
        return (await readUser(tx, n, userId)) as User;
      });
    },

    merge: (input) => mergeUsers(db, input),
  };
}
