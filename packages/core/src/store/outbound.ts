import type { BatchOutcome } from './delivery-batch';
import type { AddressKey, Identity, IdentityKind } from './identities';
import type { Thread } from './threads';

/** What {@link OutboundLookup.recipient} is asked. */
export interface SendRecipientInput extends AddressKey {
  /** The agent whose thread with the identity's user is read. */
  agentId: string;
  /**
   * Resolve the address as `IdentityStore.resolve` does (creating the identity, and the user,
   * on first contact) with this kind. Without it an unknown address answers `null`.
   */
  create?: { kind: IdentityKind };
}

/** What a send needs to know before it writes: who, whether they opted out, and their thread. */
export interface SendRecipient {
  identity: Identity;
  /** `ConsentStore.isOptedOut` for the address, read in the same step. */
  optedOut: boolean;
  /**
   * The identity's user's thread with `agentId`, or `null` when there is none yet: the lookup
   * never creates a thread (a send the policy refuses leaves none behind); the core calls
   * `threads.ensure` when the send goes ahead.
   */
  thread: Thread | null;
}

/**
 * Reads what the send policy needs in one step. The per-part methods (`identities.resolve` or
 * `identities.get`, `consent.isOptedOut`, `threads.ensure`) do the same in three round trips on
 * a server; this part answers a known address in one.
 *
 * Optional: without it the core reads with the per-part methods, with the same result.
 */
export interface OutboundLookup {
  /**
   * The identity of `channel` + `address` (resolved when `create` is given, else `null` if
   * unknown), whether that address opted out, and its user's thread with `agentId`. Reads only,
   * except what `create` asks of a first contact. Round trips: a server-backed store should need
   * one for a known address.
   *
   * @example
   * ```ts
   * const found = await store.outbound.recipient({ channel: 'whatsapp', address: '+447700900123',
   *   agentId: 'support', create: { kind: 'phone' } });
   * if (found?.optedOut) throw new OptedOutError({ channel: 'whatsapp', address: found.identity.address });
   * ```
   */
  recipient(input: SendRecipientInput): Promise<SendRecipient | null>;
  /**
   * Optional: several lookups as one batch (group commit, like `deliveries.createMany`: the core
   * reads the sends issued in one tick together). Each input is answered exactly as `recipient`
   * would answer it alone, in input order, one outcome per input; an input `recipient` would reject
   * (a first contact whose `create` failed) is an `ok: false` outcome and the others are answered.
   * When the batch fails as a whole (the database is unreachable) the call rejects; what `create`
   * made for a first contact stays made, as it would after `recipient`. A server-backed store
   * should need one round trip per batch of known addresses. Without it the core looks each
   * recipient up with `recipient`.
   *
   * @example
   * ```ts
   * const [first, second] = await store.outbound.recipientMany([
   *   { channel: 'whatsapp', address: '+447700900123', agentId: 'support' },
   *   { channel: 'sms', address: '+447700900456', agentId: 'support', create: { kind: 'phone' } },
   * ]);
   * if (first?.ok && first.value?.optedOut) console.log('the first number opted out');
   * ```
   */
  recipientMany?(
    inputs: readonly SendRecipientInput[],
  ): Promise<BatchOutcome<SendRecipient | null>[]>;
}
