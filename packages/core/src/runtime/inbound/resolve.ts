import type { ChannelAdapter } from '../../adapter/contract';
import { ValidationError } from '../../errors/validation';
import type { Sender } from '../../message/inbound';
import type { ResolvedIdentity } from '../../store/identities';
import { invalidAddressMessage, normalizeAddress } from '../address';
import type { RuntimeContext } from '../context';

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
  const known = await store.users.get(userId);
  const user = known ?? (await store.users.create({ id: userId, ...displayName }));
  if (existing?.userId === userId)
    return { identity: existing, user, created: false, userCreated: false };
  const identity = await store.identities.link({ ...key, kind, userId });
  return { identity, user, created: existing === null, userCreated: known === null };
}
