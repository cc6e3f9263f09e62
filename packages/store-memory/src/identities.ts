import {
  type Identity,
  type IdentityStore,
  NotFoundError,
  normalizeContact,
  type ResolvedIdentity,
  type User,
} from '@threadline/core';
import { addressKey, contactKey, copy, type MemoryState, now, requireUser } from './state';
import { attachContact, insertUser } from './users';

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
      // Nothing below awaits, so concurrent resolves of one new address cannot both miss the
      // lookup and both create: the first to run creates, the rest find what it wrote.
      const existing = find(input.channel, input.address);
      const existingUser = existing && state.users.get(existing.userId);
      if (existing !== undefined && existingUser !== undefined) {
        const result: ResolvedIdentity = {
          identity: existing,
          user: existingUser,
          created: false,
          userCreated: false,
        };
        return copy(result);
      }
      // Channel-scoped ids (a PSID, a Teams id) are not contact points: they never match a user.
      const contact =
        input.kind === 'channel'
          ? null
          : normalizeContact({ kind: input.kind, value: input.address });
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
      state.identities.set(addressKey(input.channel, input.address), identity);
      return copy({ identity, user, created: true, userCreated });
    },

    async get(key) {
      const identity = find(key.channel, key.address);
      return identity === undefined ? null : copy(identity);
    },

    async link(input) {
      requireUser(state, input.userId);
      const existing = find(input.channel, input.address);
      if (existing !== undefined) {
        // Moving keeps the window and reference: they belong to the address, not the user.
        existing.userId = input.userId;
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
      state.identities.set(addressKey(input.channel, input.address), identity);
      return copy(identity);
    },

    async listByUser(userId) {
      const found = [...state.identities.values()].filter((identity) => identity.userId === userId);
      return copy(found);
    },

    async touch(key, update) {
      const identity = find(key.channel, key.address);
      if (identity === undefined) {
        throw new NotFoundError('identity', `${key.channel}:${key.address}`);
      }
      // A late webhook for an older message must never shorten the session window.
      if (
        update.inboundAt !== undefined &&
        (identity.lastInboundAt === undefined || update.inboundAt > identity.lastInboundAt)
      ) {
        identity.lastInboundAt = new Date(update.inboundAt.getTime());
      }
      if (update.adapterId !== undefined) identity.lastAdapterId = update.adapterId;
      if (update.reference !== undefined) identity.reference = copy(update.reference);
      return copy(identity);
    },
  };
}
