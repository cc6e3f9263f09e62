import {
  type Identity,
  type IdentityStore,
  NotFoundError,
  normalizeContact,
  type ResolvedIdentity,
  type User,
} from '@threadline/core';
import { copy } from './copy';
import { addressKey, contactKey, type MemoryState, now, requireUser } from './state';
import { attachContact, insertUser } from './users';

/** Stores an identity under `key` (replacing one whose user is gone) and indexes it. */
function insertIdentity(state: MemoryState, key: string, identity: Identity): void {
  const replaced = state.identities.get(key);
  // A replaced identity's key keeps its place in the map, so it keeps its place in the order.
  if (replaced === undefined) state.order.identities.add(key);
  else state.identitiesByUser.delete(replaced.userId, key);
  state.identities.set(key, identity);
  state.identitiesByUser.add(identity.userId, key);
}

/** Gives a stored identity to another user, moving it in the index too. */
function moveIdentity(state: MemoryState, key: string, identity: Identity, userId: string): void {
  state.identitiesByUser.move(key, identity.userId, userId);
  identity.userId = userId;
}

/** Removes a stored identity and its index entries. */
export function removeIdentity(state: MemoryState, key: string, identity: Identity): void {
  state.identities.delete(key);
  state.identitiesByUser.delete(identity.userId, key);
  state.order.identities.delete(key);
}

/** A user's stored identities, oldest first (the order a scan of every identity gave). */
export function identitiesOf(state: MemoryState, userId: string): Identity[] {
  const keys = state.order.identities.sort([...state.identitiesByUser.keys(userId)]);
  return keys.map((key) => state.identities.get(key) as Identity);
}

/**
 * The stored identity (and user) of an address, created on first contact as `resolve` documents.
 * Synchronous and uncopied: for `resolve` and `inbound.record`, which copy what leaves the store.
 */
export function resolveIdentity(
  state: MemoryState,
  input: Parameters<IdentityStore['resolve']>[0],
): ResolvedIdentity {
  const existing = state.identities.get(addressKey(input.channel, input.address));
  const existingUser = existing && state.users.get(existing.userId);
  if (existing !== undefined && existingUser !== undefined) {
    return { identity: existing, user: existingUser, created: false, userCreated: false };
  }
  // Channel-scoped ids (a PSID, a Teams id) are not contact points: they never match a user.
  const contact =
    input.kind === 'channel' ? null : normalizeContact({ kind: input.kind, value: input.address });
  const ownerId = contact === null ? undefined : state.contacts.get(contactKey(contact));
  let user: User | undefined = ownerId === undefined ? undefined : state.users.get(ownerId);
  let userCreated = false;
  if (user === undefined) {
    user = insertUser(
      state,
      input.displayName === undefined ? {} : { displayName: input.displayName },
    );
    if (contact !== null) attachContact(state, user, contact);
    userCreated = true;
  }
  const identity: Identity = {
    channel: input.channel,
    address: input.address,
    kind: input.kind,
    userId: user.id,
    createdAt: now(state),
  };
  insertIdentity(state, addressKey(input.channel, input.address), identity);
  return { identity, user, created: true, userCreated };
}

/**
 * Records activity on a stored identity, as `touch` documents. `reference` must already be a
 * copy the store owns.
 */
export function touchIdentity(
  identity: Identity,
  update: Parameters<IdentityStore['touch']>[1],
): void {
  // A late webhook for an older message must never shorten the session window.
  if (
    update.inboundAt !== undefined &&
    (identity.lastInboundAt === undefined || update.inboundAt > identity.lastInboundAt)
  ) {
    identity.lastInboundAt = new Date(update.inboundAt.getTime());
  }
  if (update.adapterId !== undefined) identity.lastAdapterId = update.adapterId;
  if (update.reference !== undefined) identity.reference = update.reference;
}

/**
 * Channel addresses → users. A phone or email identity seen for the first time joins the user who
 * owns that number or address (created by the host, or met on another channel); otherwise a new
 * user is created and given the contact point, so the next channel finds them too. The identity
 * itself keeps the address exactly as the adapter gave it: `get` must find it by that spelling.
 *
 * @example
 * ```ts
 * const first = await store.identities.resolve({ channel: 'whatsapp', address: '+447700900123', kind: 'phone' });
 * const again = await store.identities.resolve({ channel: 'sms', address: '+447700900123', kind: 'phone' });
 * again.user.id === first.user.id; // true
 * ```
 */
export function createIdentityStore(state: MemoryState): IdentityStore {
  function find(channel: string, address: string): Identity | undefined {
    return state.identities.get(addressKey(channel, address));
  }

  return {
    async resolve(input) {
      // Nothing here awaits, so concurrent resolves of one new address cannot both miss the
      // lookup and both create: the first to run creates, the rest find what it wrote.
      return copy(resolveIdentity(state, input));
    },

    async get(key) {
      const identity = find(key.channel, key.address);
      return identity === undefined ? null : copy(identity);
    },

    async getMany(keys) {
      // A copy per key, as `get` gives: a key given twice gets two separate objects.
      return keys.map(({ channel, address }) => {
        const identity = find(channel, address);
        return identity === undefined ? null : copy(identity);
      });
    },

    async link(input) {
      requireUser(state, input.userId);
      const key = addressKey(input.channel, input.address);
      const existing = state.identities.get(key);
      if (existing !== undefined) {
        // Moving keeps the window and reference: they belong to the address, not the user.
        moveIdentity(state, key, existing, input.userId);
        existing.kind = input.kind;
        return copy(existing);
      }
      const identity: Identity = {
        channel: input.channel,
        address: input.address,
        kind: input.kind,
        userId: input.userId,
        createdAt: now(state),
      };
      insertIdentity(state, key, identity);
      return copy(identity);
    },

    async listByUser(userId) {
      return copy(identitiesOf(state, userId));
    },

    async touch(key, update) {
      const identity = find(key.channel, key.address);
      if (identity === undefined) {
        throw new NotFoundError('identity', `${key.channel}:${key.address}`);
      }
      touchIdentity(
        identity,
        update.reference === undefined ? update : { ...update, reference: copy(update.reference) },
      );
      return copy(identity);
    },
  };
}
