import {
  type ContactPoint,
  type Identity,
  type IdentityStore,
  NotFoundError,
  normalizeContact,
  type ResolvedIdentity,
} from '@threadline/core';
import { rowsByAddress } from './address-batch';
import type { Database } from './database';
import type { Queryable } from './driver/driver';
import { ConflictRetry, hasSqlState } from './errors';
import { fnv1a, type Names } from './names';
import { jsonParam, type Row, timeParam, toDate, withOptional } from './rows';
import { attachContact, insertUser, readUser, toUser, userColumns } from './users';

/** First key of the advisory lock that serialises first contacts of one person ("TM"). */
export const RESOLVE_LOCK_CLASS = 0x544d;

/**
 * How often `resolve` starts over after losing a unique key to a concurrent writer that does not
 * take its lock (`users.create`, `identities.link`). Each retry finds what the winner wrote, so
 * one is almost always enough.
 */
export const RESOLVE_ATTEMPTS = 5;

/**
 * The contact point an address is matched by (none for channel-scoped ids: a PSID, a Teams id),
 * and the second key of the advisory lock its first contact takes: one person's first contacts on
 * several channels take one lock, in `resolve` and in `inbound.record` alike.
 */
export function firstContactLock(input: { channel: string; address: string; kind: string }): {
  contact: ContactPoint | null;
  lockKey: number;
} {
  const contact =
    input.kind === 'channel'
      ? null
      : normalizeContact({ kind: input.kind as ContactPoint['kind'], value: input.address });
  const key =
    contact === null
      ? `address:${input.channel}\u0000${input.address}`
      : `contact:${contact.kind}\u0000${contact.value}`;
  return { contact, lockKey: fnv1a(key) };
}

/** An `identities` row as an Identity. */
export function toIdentity(row: Row): Identity {
  const identity: Identity = {
    channel: String(row.channel),
    address: String(row.address),
    kind: row.kind as Identity['kind'],
    userId: String(row.user_id),
    createdAt: toDate(row.created_at),
  };
  withOptional(identity, row, { last_inbound_at: 'lastInboundAt' }, toDate);
  return withOptional(identity, row, { last_adapter_id: 'lastAdapterId', reference: 'reference' });
}

/** The identity and its user in one query, or `null`. */
async function findResolved(
  q: Queryable,
  n: Names,
  key: { channel: string; address: string },
): Promise<ResolvedIdentity | null> {
  const [row] = await q.query(
    `SELECT to_jsonb(i) AS identity, ${userColumns(n)}
     FROM ${n.identities} i JOIN ${n.users} u ON u.id = i.user_id
     WHERE i.channel = $1 AND i.address = $2`,
    [key.channel, key.address],
  );
  if (row === undefined) return null;
  const identity = toIdentity(row.identity as Row);
  return { identity, user: toUser(row), created: false, userCreated: false };
}

/**
 * Channel addresses → users, in `identities`. A phone or email identity seen for the first time
 * joins the user who owns that number or address; otherwise a new user is created and given the
 * contact point. First contacts of one person (one number on two channels at once) take an
 * advisory lock on the normalised contact point, so they create one user between them.
 *
 * @example
 * ```ts
 * const first = await store.identities.resolve({ channel: 'whatsapp', address: '+447700900123', kind: 'phone' });
 * const again = await store.identities.resolve({ channel: 'sms', address: '+447700900123', kind: 'phone' });
 * again.user.id === first.user.id; // true
 * ```
 */
export function createIdentityStore(db: Database): IdentityStore {
  const n = db.names;

  async function resolveOnce(
    input: Parameters<IdentityStore['resolve']>[0],
  ): Promise<ResolvedIdentity> {
    const { contact, lockKey } = firstContactLock(input);
    return db.transaction('identities.resolve', async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1::int, $2::int)', [
        RESOLVE_LOCK_CLASS,
        lockKey,
      ]);
      const existing = await findResolved(tx, n, input);
      if (existing !== null) return existing;
      let userId: string | null = null;
      if (contact !== null) {
        const [owner] = await tx.query(
          `SELECT user_id FROM ${n.contacts} WHERE kind = $1 AND value = $2`,
          [contact.kind, contact.value],
        );
        userId = owner === undefined ? null : String(owner.user_id);
      }
      const userCreated = userId === null;
      if (userId === null) {
        userId = (await insertUser(
          tx,
          db,
          input.displayName === undefined ? {} : { displayName: input.displayName },
        )) as string;
        if (contact !== null && (await attachContact(tx, n, userId, contact)) !== null) {
          throw new ConflictRetry('the contact point was taken meanwhile');
        }
      }
      const [row] = await tx.query(
        `INSERT INTO ${n.identities} (channel, address, kind, user_id, created_at)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (channel, address) DO NOTHING RETURNING *`,
        [input.channel, input.address, input.kind, userId, timeParam(db.now())],
      );
      if (row === undefined) throw new ConflictRetry('the identity was created meanwhile');
      const user = await readUser(tx, n, userId);
      if (user === null) throw new ConflictRetry('the user was removed meanwhile');
      return { identity: toIdentity(row), user, created: true, userCreated };
    });
  }

  return {
    async resolve(input) {
      const found = await findResolved(db.bound('identities.resolve'), n, input);
      if (found !== null) return found;
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await resolveOnce(input);
        } catch (error) {
          if (!(error instanceof ConflictRetry) || attempt >= RESOLVE_ATTEMPTS) throw error;
        }
      }
    },

    async get(key) {
      const [row] = await db.query(
        'identities.get',
        `SELECT * FROM ${n.identities} WHERE channel = $1 AND address = $2`,
        [key.channel, key.address],
      );
      return row === undefined ? null : toIdentity(row);
    },

    async getMany(keys) {
      const rows = await rowsByAddress(db, 'identities.getMany', {
        table: n.identities,
        select: 't.*',
        keys,
      });
      return keys.map((_, index) => {
        const row = rows.get(index);
        return row === undefined ? null : toIdentity(row);
      });
    },

    async link(input) {
      try {
        // Moving keeps the window and reference: they belong to the address, not the user.
        const [row] = await db.query(
          'identities.link',
          `INSERT INTO ${n.identities} (channel, address, kind, user_id, created_at)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (channel, address) DO UPDATE SET user_id = excluded.user_id, kind = excluded.kind
           RETURNING *`,
          [input.channel, input.address, input.kind, input.userId, timeParam(db.now())],
        );
        return toIdentity(row as Row);
      } catch (error) {
        if (hasSqlState(error, '23503')) throw new NotFoundError('user', input.userId);
        throw error;
      }
    },

    async listByUser(userId) {
      const rows = await db.query(
        'identities.listByUser',
        `SELECT * FROM ${n.identities} WHERE user_id = $1 ORDER BY created_at, channel, address`,
        [userId],
      );
      return rows.map(toIdentity);
    },

    async touch(key, update) {
      // GREATEST ignores NULL: a late webhook for an older message never shortens the window.
      const [row] = await db.query(
        'identities.touch',
        `UPDATE ${n.identities} SET
           last_inbound_at = GREATEST(last_inbound_at, $3::timestamptz),
           last_adapter_id = COALESCE($4, last_adapter_id),
           reference = COALESCE($5::jsonb, reference)
         WHERE channel = $1 AND address = $2 RETURNING *`,
        [
          key.channel,
          key.address,
          timeParam(update.inboundAt),
          update.adapterId ?? null,
          jsonParam(update.reference),
        ],
      );
      if (row === undefined) throw new NotFoundError('identity', `${key.channel}:${key.address}`);
      return toIdentity(row);
    },
  };
}
