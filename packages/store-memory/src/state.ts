import {
  type Clock,
  type ConsentRecord,
  type ContactPoint,
  type DeadLetter,
  type Delivery,
  type HeldMessage,
  type Identity,
  type JobRecord,
  type LeaseHolder,
  NotFoundError,
  type PendingTurn,
  type Thread,
  type ThreadEntry,
  type User,
} from '@threadline/core';
import { CreationOrder, OwnerIndex } from './indexes';
import { PayloadPool } from './payloads';

/**
 * Everything one memory store holds, as plain maps. Every part of the store reads and writes this
 * object synchronously, between awaits: JavaScript runs one callback at a time, so a check and the
 * write that depends on it can never interleave with another call. That is what makes `claim`,
 * `append` and `claimDue` atomic here without locks.
 */
export interface MemoryState {
  readonly clock: Clock;
  readonly generateId: () => string;
  users: Map<string, User>;
  /** `contactKey(contact)` → user id: one phone number or email belongs to one user. */
  contacts: Map<string, string>;
  /** `addressKey(channel, address)` → identity. */
  identities: Map<string, Identity>;
  threads: Map<string, Thread>;
  /** `pairKey(userId, agentId)` → thread id. */
  threadByPair: Map<string, string>;
  /** Thread id → its entries, in seq order (entry `seq` is its index + 1). */
  entries: Map<string, ThreadEntry[]>;
  /** Dedupe key → when the claim expires (epoch ms). */
  claims: Map<string, number>;
  deliveries: Map<string, Delivery>;
  deliveryByIdempotencyKey: Map<string, string>;
  /**
   * Adapter id → provider message id → delivery id, with every id of a split message (see
   * `providerIdsOf`). Nested rather than one map on a joined key, so each delivery keeps no
   * second, longer copy of its provider id as a key.
   */
  deliveryByProviderId: Map<string, Map<string, string>>;
  held: Map<string, HeldMessage>;
  consent: Map<string, ConsentRecord>;
  leases: Map<string, LeaseHolder>;
  jobs: Map<string, JobRecord>;
  /**
   * `pairKey(adapterId, providerMessageId)` → failed attempts at recording that message, with the
   * dead letter once there is one.
   */
  failures: Map<string, { attempts: number; firstFailedAt: Date; deadLetter: DeadLetter | null }>;
  /** Pending durable agent turns by id (a completed one is deleted). */
  turns: Map<string, PendingTurn>;
  /** `pairKey(threadId, String(seq))` → pending turn id: one turn per recorded message. */
  turnByMessage: Map<string, string>;

  // Indexes over the maps above, so that one user's (or one thread's) records, and the deliveries
  // that could be due, are found without scanning everyone's. Every write keeps them in step; the
  // helpers that do it live beside the records (identities.ts, threads.ts, delivery-index.ts,
  // held.ts).

  /** User id → keys of their identities. */
  identitiesByUser: OwnerIndex;
  /** User id → ids of their threads. */
  threadsByUser: OwnerIndex;
  /** User id → ids of the deliveries addressed to them (`delivery.userId`). */
  deliveriesByUser: OwnerIndex;
  /** Thread id → ids of the deliveries recorded in it (`delivery.threadId`). */
  deliveriesByThread: OwnerIndex;
  /** User id → ids of their held messages. */
  heldByUser: OwnerIndex;
  /** Delivery id → ids of the held messages that wait for it. */
  heldByDelivery: OwnerIndex;
  /** User id → ids of their pending turns (`turn.userId`). */
  turnsByUser: OwnerIndex;
  /** Thread id → ids of the pending turns of its messages (`turn.threadId`). */
  turnsByThread: OwnerIndex;
  /** The deliveries `claimDue` may take: `queued` with a `nextAttemptAt` (due or not, leased or not). */
  claimable: Set<Delivery>;
  /** Creation order per kind, to sort what comes out of an index as a full scan would. */
  order: {
    identities: CreationOrder;
    threads: CreationOrder;
    deliveries: CreationOrder;
    held: CreationOrder;
  };
  /** Payloads shared between equal deliveries (see payloads.ts). */
  payloads: PayloadPool;
}

/**
 * The same id as one flat string. `crypto.randomUUID()`, the default generator, joins its result
 * from twenty short pieces, and V8 keeps such a string as a tree of the pieces (about 500 bytes for
 * a UUID, 70 flat) until something flattens it; the store keeps every id it makes. Lower-casing
 * returns a new flat string, used only when it changed nothing (UUIDs are lower-case hex): any
 * other id is kept exactly as generated.
 */
function flatId(id: string): string {
  if (typeof id !== 'string') return id;
  const lower = id.toLowerCase();
  return lower === id ? lower : id;
}

/** Creates an empty state. */
export function createState(clock: Clock, generateId: () => string): MemoryState {
  return {
    clock,
    generateId: () => flatId(generateId()),
    users: new Map(),
    contacts: new Map(),
    identities: new Map(),
    threads: new Map(),
    threadByPair: new Map(),
    entries: new Map(),
    claims: new Map(),
    deliveries: new Map(),
    deliveryByIdempotencyKey: new Map(),
    deliveryByProviderId: new Map(),
    held: new Map(),
    consent: new Map(),
    leases: new Map(),
    jobs: new Map(),
    failures: new Map(),
    turns: new Map(),
    turnByMessage: new Map(),
    identitiesByUser: new OwnerIndex(),
    threadsByUser: new OwnerIndex(),
    deliveriesByUser: new OwnerIndex(),
    deliveriesByThread: new OwnerIndex(),
    heldByUser: new OwnerIndex(),
    heldByDelivery: new OwnerIndex(),
    turnsByUser: new OwnerIndex(),
    turnsByThread: new OwnerIndex(),
    claimable: new Set(),
    order: {
      identities: new CreationOrder(),
      threads: new CreationOrder(),
      deliveries: new CreationOrder(),
      held: new CreationOrder(),
    },
    payloads: new PayloadPool(),
  };
}

/** "Now" from the injected clock, as a Date: never `new Date()`, so tests can move time. */
export function now(state: MemoryState): Date {
  return new Date(state.clock.now());
}

// NUL cannot appear in a channel name, address or id that came from JSON text a provider sent, so
// joining with it gives keys that never collide (`a:b` + `c` vs `a` + `b:c`).
const SEPARATOR = '\u0000';

/** The map key of a channel address. */
export function addressKey(channel: string, address: string): string {
  return `${channel}${SEPARATOR}${address}`;
}

/** The map key of two ids together (a user and an agent, an adapter and a provider id). */
export function pairKey(first: string, second: string): string {
  return `${first}${SEPARATOR}${second}`;
}

/** The map key of an already normalised contact point. */
export function contactKey(contact: ContactPoint): string {
  return `${contact.kind}${SEPARATOR}${contact.value}`;
}

/**
 * The contact keys a user owns. The contact index holds exactly the values on each user's lists
 * (`attachContact` writes both, merge moves both, erasure deletes both), so the lists name them
 * all and nobody has to scan the index for a user's keys.
 */
export function contactKeysOf(user: User): string[] {
  return [
    ...user.phoneNumbers.map((value) => contactKey({ kind: 'phone', value })),
    ...user.emails.map((value) => contactKey({ kind: 'email', value })),
  ];
}

/** Whether an expiry instant (epoch ms) has passed: a lease or claim is live strictly before it. */
export function isExpired(state: MemoryState, expiresAt: Date | number): boolean {
  const at = typeof expiresAt === 'number' ? expiresAt : expiresAt.getTime();
  return at <= state.clock.now();
}

/** The stored user, or `NotFoundError`. */
export function requireUser(state: MemoryState, userId: string): User {
  const user = state.users.get(userId);
  if (user === undefined) throw new NotFoundError('user', userId);
  return user;
}
