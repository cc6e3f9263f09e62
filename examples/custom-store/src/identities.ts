import {
  type AddressKey,
  type Identity,
  type IdentityStore,
  type JsonValue,
  NotFoundError,
  normalizeContact,
  type ResolvedIdentity,
} from '@threadline/core';
import { type StoreContext, toIdentity } from './rows';
import { attachContact, contactOwner, insertUser, readUser, requireUser } from './users';

/** The stored identity of an address, or `null`. */
export function readIdentity(ctx: StoreContext, key: AddressKey): Identity | null {
  const row = ctx.db.get('SELECT * FROM identities WHERE channel = ? AND address = ?', [
    key.channel,
    key.address,
  ]);
  return row === undefined ? null : toIdentity(row);
}

/**
 * Finds or creates the identity (and user) of an address, as `IdentityStore.resolve` documents.
 * Synchronous, so `inbound.record` can run it inside its transaction.
 */
export function resolveIdentity(
  ctx: StoreContext,
  input: Parameters<IdentityStore['resolve']>[0],
): ResolvedIdentity {
  const existing = readIdentity(ctx, input);
  const existingUser = existing === null ? null : readUser(ctx, existing.userId);
  if (existing !== null && existingUser !== null) {
    return { identity: existing, user: existingUser, created: false, userCreated: false };
  }
  // Channel-scoped ids (a PSID, a Teams id) are not contact points: they never match a user.
  const contact =
    input.kind === 'channel' ? null : normalizeContact({ kind: input.kind, value: input.address });
  let userId = contact === null ? undefined : contactOwner(ctx, contact);
  const userCreated = userId === undefined;
  if (userId === undefined) {
    userId = insertUser(
      ctx,
      input.displayName === undefined ? {} : { displayName: input.displayName },
    );
    if (contact !== null) attachContact(ctx, userId, contact);
  }
  // The address is stored as the adapter gave it (already normalised by the core).
  ctx.db.run(
    `INSERT OR REPLACE INTO identities (channel, address, kind, user_id, created_at)
     VALUES (?, ?, ?, ?, ?)`,
    [input.channel, input.address, input.kind, userId, ctx.clock.now()],
  );
  return {
    identity: readIdentity(ctx, input) as Identity,
    user: requireUser(ctx, userId),
    created: true,
    userCreated,
  };
}

/** Records activity on an address, as `IdentityStore.touch` documents. */
export function touchIdentity(
  ctx: StoreContext,
  key: AddressKey,
  update: { inboundAt?: Date; adapterId?: string; reference?: JsonValue },
): Identity {
  if (readIdentity(ctx, key) === null) {
    throw new NotFoundError('identity', `${key.channel}:${key.address}`);
  }
  const where = [key.channel, key.address];
  if (update.inboundAt !== undefined) {
    // Only forward: a late webhook for an older message must never shorten the session window.
    ctx.db.run(
      `UPDATE identities SET last_inbound_at = MAX(COALESCE(last_inbound_at, 0), ?)
       WHERE channel = ? AND address = ?`,
      [update.inboundAt.getTime(), ...where],
    );
  }
  if (update.adapterId !== undefined) {
    ctx.db.run('UPDATE identities SET last_adapter_id = ? WHERE channel = ? AND address = ?', [
      update.adapterId,
      ...where,
    ]);
  }
  if (update.reference !== undefined) {
    ctx.db.run('UPDATE identities SET reference = ? WHERE channel = ? AND address = ?', [
      JSON.stringify(update.reference),
      ...where,
    ]);
  }
  return readIdentity(ctx, key) as Identity;
}

/**
 * Channel addresses → users. A phone or email address seen for the first time joins the user who
 * owns that contact point; otherwise a new user is created and given it.
 */
export function createIdentityStore(ctx: StoreContext): IdentityStore {
  return {
    async resolve(input) {
      return ctx.db.transaction(() => resolveIdentity(ctx, input));
    },

    async get(key) {
      return readIdentity(ctx, key);
    },

    async link(input) {
      requireUser(ctx, input.userId);
      // Moving keeps the window and the reference: they belong to the address, not the user.
      const moved = ctx.db.run(
        'UPDATE identities SET user_id = ?, kind = ? WHERE channel = ? AND address = ?',
        [input.userId, input.kind, input.channel, input.address],
      );
      if (moved === 0) {
        ctx.db.run(
          'INSERT INTO identities (channel, address, kind, user_id, created_at) VALUES (?, ?, ?, ?, ?)',
          [input.channel, input.address, input.kind, input.userId, ctx.clock.now()],
        );
      }
      return readIdentity(ctx, input) as Identity;
    },

    async listByUser(userId) {
      return ctx.db
        .all('SELECT * FROM identities WHERE user_id = ? ORDER BY rowid', [userId])
        .map(toIdentity);
    },

    async touch(key, update) {
      return ctx.db.transaction(() => touchIdentity(ctx, key, update));
    },
  };
}
