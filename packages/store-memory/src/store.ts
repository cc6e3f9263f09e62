import {
  type DeadLetterStore,
  type InboundLog,
  type OutboundLookup,
  type PubSub,
  parseOptions,
  StoreError,
  systemClock,
  type ThreadStore,
  type TurnStore,
} from '@threadline/core';
import { createConsentStore } from './consent';
import { createDeadLetterStore } from './dead-letters';
import { createClaims, createDedupeStore } from './dedupe';
import { createDeliveryStore } from './deliveries';
import { createHeldMessageStore } from './held';
import { createIdentityStore } from './identities';
import { createInboundLog } from './inbound';
import { createJobStore } from './jobs';
import { createLeaseStore } from './leases';
import { type MemoryStoreOptions, MemoryStoreOptionsSchema } from './options';
import { createOutboundLookup } from './outbound';
import { createPrivacyStore } from './privacy';
import { createMemoryPubSub } from './pubsub';
import { createState } from './state';
import { createThreadLog } from './threads';
import { createTurnStore } from './turns';
import { createUserStore } from './users';

/** A memory store: a {@link ThreadStore} whose `pubsub` is always there (in-process). */
export interface MemoryStore extends ThreadStore {
  pubsub: PubSub;
  inbound: InboundLog;
  outbound: OutboundLookup;
  deadLetters: DeadLetterStore;
  turns: TurnStore;
}

type AnyFunction = (...args: unknown[]) => unknown;

/**
 * Wraps every method of a part so a call after `close()` rejects, as it would on a database whose
 * connection was closed: a test that uses a closed store should fail here too, not only in
 * production against Postgres.
 *
 * The wrapper is a plain function handing back the method's own promise: an `async` wrapper would
 * add a second promise, resolved with the first, which costs two more microtask turns per call.
 * A method that throws instead of rejecting still yields a rejected promise, as before.
 */
function guarded<T extends object>(part: T, isClosed: () => boolean): T {
  const wrapped: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(part)) {
    if (typeof member !== 'function') {
      wrapped[name] = member;
      continue;
    }
    wrapped[name] = (...args: unknown[]): Promise<unknown> => {
      if (isClosed()) {
        return Promise.reject(
          new StoreError(`The memory store is closed (called ${name})`, { code: 'store_closed' }),
        );
      }
      try {
        // Resolving a native promise returns it as is: no extra promise for the async methods.
        return Promise.resolve((member as AnyFunction)(...args));
      } catch (error) {
        return Promise.reject(error);
      }
    };
  }
  return wrapped as T;
}

/**
 * An in-memory {@link ThreadStore}: for tests, demos and single-process apps. Everything lives in
 * this process and is lost when it exits; pub/sub reaches subscribers of this store object only.
 *
 * @throws ConfigError when an option is invalid; the message names it.
 * @example
 * ```ts
 * import { createMemoryStore } from '@threadline/store-memory';
 *
 * const store = createMemoryStore();
 * const { user } = await store.identities.resolve({ channel: 'sms', address: '+447700900123', kind: 'phone' });
 * const thread = await store.threads.ensure({ userId: user.id, agentId: 'support' });
 * await store.threads.append(thread.id, { direction: 'inbound', at: new Date(), text: 'hi', channel: 'sms' });
 * ```
 */
export function createMemoryStore(options?: MemoryStoreOptions): MemoryStore {
  parseOptions(MemoryStoreOptionsSchema, options, 'createMemoryStore');
  // The schema only checks: the caller's own clock object is used as given (see the schema).
  const state = createState(
    options?.clock ?? systemClock,
    options?.generateId ?? (() => crypto.randomUUID()),
  );
  const pubsub = createMemoryPubSub();
  const claims = createClaims(state);
  const turns = createTurnStore(state);
  let closed = false;
  const isClosed = () => closed;

  return {
    users: guarded(createUserStore(state), isClosed),
    identities: guarded(createIdentityStore(state), isClosed),
    threads: guarded(createThreadLog(state), isClosed),
    dedupe: guarded(createDedupeStore(state, claims), isClosed),
    inbound: guarded(createInboundLog(state, claims, turns), isClosed),
    deadLetters: guarded(createDeadLetterStore(state), isClosed),
    deliveries: guarded(createDeliveryStore(state), isClosed),
    outbound: guarded(createOutboundLookup(state), isClosed),
    held: guarded(createHeldMessageStore(state), isClosed),
    consent: guarded(createConsentStore(state), isClosed),
    leases: guarded(createLeaseStore(state), isClosed),
    jobs: guarded(createJobStore(state), isClosed),
    turns: guarded<TurnStore>(turns, isClosed),
    privacy: guarded(createPrivacyStore(state), isClosed),
    pubsub: guarded<PubSub>({ publish: pubsub.publish, subscribe: pubsub.subscribe }, isClosed),
    async close() {
      closed = true;
      pubsub.close();
    },
  };
}
