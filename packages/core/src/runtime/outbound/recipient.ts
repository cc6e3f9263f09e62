import type { ChannelAdapter } from '../../adapter/contract';
import type { AddressKind } from '../../capabilities/schema';
import { NotFoundError, NotReachableError, ValidationError } from '../../errors/index';
import type { Identity, IdentityKind } from '../../store/identities';
import type { SendRecipient } from '../../store/outbound';
import type { Thread } from '../../store/threads';
import { findLegacyIdentity, invalidAddressMessage, normalizeAddress } from '../address';
import type { RuntimeContext } from '../context';
import { recipientLookup } from './lookups';
import type { RecipientInput } from './schemas';

/** Who a send goes to, and from which adapter. */
export interface ResolvedRecipient {
  adapter: ChannelAdapter;
  address: string;
  identity: Identity;
  userId: string;
  /** Whether the send is recorded to a user's thread (not for a group `conversationId`). */
  persisted: boolean;
  /** Whether the address opted out, when the store read it with the identity (`store.outbound`). */
  optedOut?: boolean;
  /** The user's thread, when the store read it with the identity (`null`: none yet). */
  thread?: Thread | null;
}

/**
 * The identity, consent and thread in one store call where the store offers `outbound` (one
 * round trip instead of three, shared with the other sends of the tick when it can batch them);
 * `undefined` when it does not, and the caller reads them apart.
 */
function lookup(
  ctx: RuntimeContext,
  input: { channel: string; address: string; create?: IdentityKind },
): Promise<SendRecipient | null> | undefined {
  return recipientLookup(ctx)?.({
    channel: input.channel,
    address: input.address,
    agentId: ctx.agentId,
    ...(input.create === undefined ? {} : { create: { kind: input.create } }),
  });
}

const TO_KEYS = [
  'userId',
  'phoneNumber',
  'email',
  'conversationId',
] as const satisfies readonly AddressKind[];

function whichKey(to: RecipientInput): AddressKind {
  const key = TO_KEYS.find((candidate) => to[candidate] !== undefined);
  if (!key)
    throw new ValidationError('recipient', [
      { path: 'to', message: 'give exactly one of userId, phoneNumber, email, conversationId' },
    ]);
  return key;
}

/**
 * Resolves `to` to an identity on the channel and picks the sender. Cold addresses (a phone number
 * or email never seen) create the user and identity, so the send lands in a thread; the policy
 * decides afterwards whether the channel may reach them.
 */
export async function resolveRecipient(
  ctx: RuntimeContext,
  input: {
    channel: string;
    to: RecipientInput;
    channelIdentifier?: string | undefined;
    exactAddress?: string | undefined;
  },
): Promise<ResolvedRecipient> {
  const { channel, to, channelIdentifier, exactAddress } = input;
  const candidates = ctx.adapters.forChannel(channel);
  const representative =
    channelIdentifier === undefined ? candidates[0] : ctx.adapters.get(channelIdentifier);
  if (!representative) {
    // resolveSender names the problem precisely (unknown id, wrong channel, no adapter).
    ctx.adapters.resolveSender({
      channel,
      ...(channelIdentifier === undefined ? {} : { channelIdentifier }),
    });
    throw new NotReachableError({ channel, reason: 'no adapter is configured for this channel' });
  }
  const { reach } = representative.capabilities;
  const key = whichKey(to);
  if (key !== 'userId' && !reach.addressBy.includes(key)) {
    throw new ValidationError('recipient', [
      {
        path: `to.${key}`,
        message: `${channel} does not accept ${key}; it accepts ${reach.addressBy.join(', ')}`,
      },
    ]);
  }

  let identity: Identity;
  let persisted = true;
  let read: SendRecipient | null | undefined;
  let exact: Identity | null = null;
  if (exactAddress !== undefined) {
    read = await lookup(ctx, { channel, address: exactAddress });
    exact =
      read === undefined
        ? await ctx.store.identities.get({ channel, address: exactAddress })
        : (read?.identity ?? null);
  }
  if (exact) {
    // A reply goes back to the very address the message came from.
    identity = exact;
  } else if (key === 'userId') {
    const userId = to.userId as string;
    identity = await identityForUser(ctx, { channel, userId, adapter: representative });
    // Consent and thread in one step, shared with the other sends of the tick (as an address
    // send reads them), unless the address moved to another user since it was listed.
    read = await lookup(ctx, { channel, address: identity.address });
    if (read?.identity.userId === userId) identity = read.identity;
  } else if (key === 'conversationId') {
    const found = await ctx.store.identities.get({ channel, address: to.conversationId as string });
    if (!found) {
      throw new NotReachableError({
        channel,
        address: to.conversationId as string,
        reason: 'no conversation with that id has been seen',
      });
    }
    identity = found;
    persisted = false;
  } else {
    const raw = to[key] as string;
    const address = normalizeAddress(reach.identity, raw, ctx.options);
    const kind = reach.identity;
    const legacy = await findLegacyIdentity(ctx.store.identities, { channel, kind, raw, address });
    const current =
      legacy === null || address === null
        ? null
        : await ctx.store.identities.get({ channel, address });
    if (legacy !== null && current === null) {
      identity = legacy;
    } else if (address === null) {
      throw new ValidationError('recipient', [
        { path: `to.${key}`, message: invalidAddressMessage(kind, raw, ctx.options) },
      ]);
    } else {
      read = await lookup(ctx, { channel, address, create: kind });
      identity =
        read?.identity ?? (await ctx.store.identities.resolve({ channel, address, kind })).identity;
    }
  }

  const adapter = ctx.adapters.resolveSender({
    channel,
    ...(channelIdentifier === undefined ? {} : { channelIdentifier }),
    ...(identity.lastAdapterId === undefined ? {} : { lastAdapterId: identity.lastAdapterId }),
  });
  const prefetched =
    read?.identity === identity ? { optedOut: read.optedOut, thread: read.thread } : {};
  return {
    adapter,
    address: identity.address,
    identity,
    userId: identity.userId,
    persisted,
    ...prefetched,
  };
}

/**
 * The user's address on a channel: the identity they last wrote from there, else one made from a
 * contact point the host gave (a phone number for SMS or WhatsApp, an email for email).
 */
async function identityForUser(
  ctx: RuntimeContext,
  input: { channel: string; userId: string; adapter: ChannelAdapter },
): Promise<Identity> {
  const { channel, userId, adapter } = input;
  const onChannel = (await ctx.store.identities.listByUser(userId)).filter(
    (identity) => identity.channel === channel,
  );
  const latest = onChannel.sort(
    (a, b) => (b.lastInboundAt?.getTime() ?? 0) - (a.lastInboundAt?.getTime() ?? 0),
  )[0];
  // An identity names its user, so the user exists: read only when a contact point is needed.
  if (latest) return latest;
  const user = await ctx.store.users.get(userId);
  if (!user) throw new NotFoundError('user', userId);
  const { reach } = adapter.capabilities;
  const contact =
    reach.identity === 'phone'
      ? user.phoneNumbers[0]
      : reach.identity === 'email'
        ? user.emails[0]
        : undefined;
  if (contact !== undefined && reach.cold !== 'warm-only') {
    return ctx.store.identities.link({ channel, address: contact, kind: reach.identity, userId });
  }
  const reason =
    reach.cold === 'warm-only'
      ? 'this channel is warm-only and the user has never written on it'
      : 'the user has no address on this channel';
  throw new NotReachableError({ channel, userId, reason });
}
