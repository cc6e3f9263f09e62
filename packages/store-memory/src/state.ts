import {
  type Clock,
  type ConsentRecord,
  type ContactPoint,
  type Delivery,
  type HeldMessage,
  type Identity,
  type JobRecord,
  type LeaseHolder,
  NotFoundError,
  type Thread,
  type ThreadEntry,
  type User,
} from '@threadline/core';

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
  /** `pairKey(adapterId, providerMessageId)` → delivery id. */
  deliveryByProviderId: Map<string, string>;
  held: Map<string, HeldMessage>;
  consent: Map<string, ConsentRecord>;
  leases: Map<string, LeaseHolder>;
  jobs: Map<string, JobRecord>;
}

/** Creates an empty state. */
export function createState(clock: Clock, generateId: () => string): MemoryState {
  return {
    clock,
    generateId,
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
 * A deep copy. Everything crosses the store boundary through this, both ways: callers cannot change
 * stored data by mutating a result, nor by mutating an input after the call, just as with a
 * database.
 */
export function copy<T>(value: T): T {
  return structuredClone(value);
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
