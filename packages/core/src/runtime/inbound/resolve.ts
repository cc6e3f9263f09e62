import type { ChannelAdapter } from '../../adapter/contract';
import { AddressTakenError } from '../../errors/address-taken';
import { ValidationError } from '../../errors/validation';
import type { Sender } from '../../message/inbound';
import type { Identity, ResolvedIdentity } from '../../store/identities';
import type { User } from '../../store/users';
import { invalidAddressMessage, normalizeAddress } from '../address';
import type { RuntimeContext } from '../context';
import { withAddressLease } from './address-lease';

/**
 * The sender's address in stored form; a `ValidationError` naming `from.address` if it cannot be.
 * Read as international, never in `defaultRegion`: providers send international numbers, some
 * without the `+` (WhatsApp's `wa_id`), and the host's region says nothing about a sender's.
 */
export function senderAddress(adapter: ChannelAdapter, from: Sender): string {
  const kind = adapter.capabilities.reach.identity;
  const address = normalizeAddress(kind, from.address, { international: true });
  if (address === null) {
    throw new ValidationError('inbound event', [
      { path: 'from.address', message: invalidAddressMessage(kind, from.address, {}) },
    ]);
  }
  return address;
}

/**
 * The identity and user behind an inbound sender. Normally resolved by address (created on first
 * contact). When the adapter authenticated the sender as a known user (`userId`, e.g. a signed web
 * chat token), the address is bound to that user instead, creating the user if the host has not.
 * An authenticated sender never moves an address already linked to another user: that is an
 * {@link AddressTakenError} (only the host moves addresses, with `users.link`). First contacts on
 * one address take turns under a store lease, so of two users racing for it exactly one wins.
 */
export async function resolveSender(
  ctx: RuntimeContext,
  adapter: ChannelAdapter,
  from: Sender,
  userId?: string,
): Promise<ResolvedIdentity> {
  const { store } = ctx;
  const key = { channel: adapter.channel, address: senderAddress(adapter, from) };
  const kind = adapter.capabilities.reach.identity;
  const displayName = from.displayName === undefined ? {} : { displayName: from.displayName };
  if (userId === undefined) return store.identities.resolve({ ...key, kind, ...displayName });
  const existing = await store.identities.get(key);
  if (existing !== null) return bindKnown(ctx, existing, userId, displayName);
  // A first contact on this address: one at a time (see `withAddressLease`), then read again,
  // since the contact this one waited for may have linked it.
  return withAddressLease(ctx, key, async () => {
    const linked = await store.identities.get(key);
    if (linked !== null) return bindKnown(ctx, linked, userId, displayName);
    const { user, created: userCreated } = await ensureUser(ctx, userId, displayName);
    await store.identities.link({ ...key, kind, userId });
    // Read back: the host may move addresses with `users.link` at any time, without the lease.
    const identity = await store.identities.get(key);
    if (identity === null || identity.userId !== userId) {
      throw new AddressTakenError({ ...key, userId, ownerId: identity?.userId ?? '(none)' });
    }
    return { identity, user, created: true, userCreated };
  });
}

/** An address already linked: kept by its own user, refused to any other. */
async function bindKnown(
  ctx: RuntimeContext,
  existing: Identity,
  userId: string,
  displayName: { displayName?: string },
): Promise<ResolvedIdentity> {
  const { channel, address } = existing;
  // Checked before the user is created, so a refused sender leaves nothing behind.
  if (existing.userId !== userId) {
    throw new AddressTakenError({ channel, address, userId, ownerId: existing.userId });
  }
  const { user, created: userCreated } = await ensureUser(ctx, userId, displayName);
  return { identity: existing, user, created: false, userCreated };
}

/**
 * The authenticated user, created when the host has not. Several first contacts of one new user
 * at once (a visitor opening five tabs) all try to create it; the losers find the winner's.
 */
async function ensureUser(
  ctx: RuntimeContext,
  userId: string,
  displayName: { displayName?: string },
): Promise<{ user: User; created: boolean }> {
  const known = await ctx.store.users.get(userId);
  if (known !== null) return { user: known, created: false };
  try {
    return { user: await ctx.store.users.create({ id: userId, ...displayName }), created: true };
  } catch (error) {
    const raced = await ctx.store.users.get(userId);
    if (raced === null) throw error;
    return { user: raced, created: false };
  }
}
