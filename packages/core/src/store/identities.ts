import type { JsonValue } from '../message/json';
import type { User } from './users';

/** How an address identifies a person: see `Capabilities.reach.identity`. */
export type IdentityKind = 'phone' | 'email' | 'channel';

/** A channel address (channel + native address) bound to one user, with per-address state. */
export interface Identity {
  channel: string;
  address: string;
  kind: IdentityKind;
  userId: string;
  /** The last time the user wrote from this address: opens the session window. */
  lastInboundAt?: Date;
  /** The adapter that last served this address (sender resolution prefers it). */
  lastAdapterId?: string;
  /** Opaque data an adapter needs to reach the address later (Teams ConversationReference). */
  reference?: JsonValue;
  createdAt: Date;
}

/**
 * A channel address. The key is the pair: `(web, chat-1)` and `(webc, hat-1)` are two addresses,
 * however a store joins the parts.
 */
export interface AddressKey {
  channel: string;
  address: string;
}

/** The result of {@link IdentityStore.resolve}. */
export interface ResolvedIdentity {
  identity: Identity;
  user: User;
  /** Whether this call created the identity (first contact on this channel and address). */
  created: boolean;
  /** Whether this call also created the user (no contact point matched). */
  userCreated: boolean;
}

/**
 * Maps channel addresses to users. By default one E.164 number is one person on every phone channel
 * and one email address is one person: resolving `(sms, +4477…)` finds the user who already wrote
 * from `(whatsapp, +4477…)` or whom the host created with that number.
 */
export interface IdentityStore {
  /**
   * Finds the identity for an address, creating it (and the user, when no contact point matches)
   * on first contact. Concurrent calls for one address create exactly one identity and one user.
   * A `channel` address never matches a contact point, however it is spelled.
   */
  resolve(
    input: AddressKey & { kind: IdentityKind; displayName?: string },
  ): Promise<ResolvedIdentity>;
  get(key: AddressKey): Promise<Identity | null>;
  /**
   * Optional: `get` for several addresses at once (the core reads the identities of the bulk
   * sends of one tick together). Answers each key exactly as `get` would answer it alone, in key
   * order, one answer per key: `null` for an unknown address, equal (but separate) identities for
   * a key given twice, `[]` for no keys. Reads only: it never creates an identity. A server-backed
   * store should need one round trip per call. Without it the core calls `get` for each address.
   * `runStoreConformance` checks it whenever the store has it (and requires it when told
   * `readBatches: true`).
   *
   * @example
   * ```ts
   * const [ann, unknown] = await store.identities.getMany([
   *   { channel: 'whatsapp', address: '+447700900123' },
   *   { channel: 'whatsapp', address: '+447700900999' },
   * ]);
   * ann?.userId; // the user who owns +447700900123 on WhatsApp; `unknown` is null
   * ```
   */
  getMany?(keys: readonly AddressKey[]): Promise<Array<Identity | null>>;
  /**
   * Binds an address to a user (moving it if it belonged to another user). The identity keeps its
   * window and reference; the user's contact points do not change.
   */
  link(input: AddressKey & { kind: IdentityKind; userId: string }): Promise<Identity>;
  /** The user's identities, oldest `createdAt` first, those moved in by a merge or link included. */
  listByUser(userId: string): Promise<Identity[]>;
  /**
   * Records activity on an address: `inboundAt` only ever moves forward (a late, older message
   * never shortens the window); `adapterId` and `reference` replace the stored ones. A `null`
   * reference withdraws it (Teams uninstall); stores may read it back as `null` or absent.
   * Throws `NotFoundError` (kind `identity`, its `id` naming the address) for an unknown address.
   */
  touch(
    key: AddressKey,
    update: { inboundAt?: Date; adapterId?: string; reference?: JsonValue },
  ): Promise<Identity>;
}
