import type { ConsentStore } from './consent';
import type { DeadLetterStore } from './dead-letters';
import type { DedupeStore } from './dedupe';
import type { DeliveryStore } from './deliveries';
import type { StoreHealthCheck } from './health';
import type { HeldMessageStore } from './held';
import type { IdentityStore } from './identities';
import type { InboundLog } from './inbound';
import type { JobStore } from './jobs';
import type { LeaseStore } from './leases';
import type { OutboundLookup } from './outbound';
import type { PrivacyStore } from './privacy';
import type { PubSub } from './pubsub';
import type { ThreadLog } from './threads';
import type { TurnStore } from './turns';
import type { UserStore } from './users';

/**
 * Everything durable, so a host can run many instances against one store. Each part is a small
 * interface of its own; `runStoreConformance` from `@threadline/testkit` checks an implementation.
 * A refused argument is a `ValidationError` whose issue `path` names it as the input spells it
 * (`ttlMs`, `leaseMs`, `limit`, `latest`, `after`, `before`, `turn.leaseMs`).
 *
 * @example
 * ```ts
 * const store = createMemoryStore();
 * const { user } = await store.identities.resolve({ channel: 'sms', address: '+447700900123', kind: 'phone' });
 * const thread = await store.threads.ensure({ userId: user.id, agentId: 'support' });
 * await store.threads.append(thread.id, { direction: 'inbound', at: new Date(), text: 'hi', channel: 'sms' });
 * ```
 */
export interface ThreadStore {
  users: UserStore;
  identities: IdentityStore;
  threads: ThreadLog;
  dedupe: DedupeStore;
  deliveries: DeliveryStore;
  held: HeldMessageStore;
  consent: ConsentStore;
  leases: LeaseStore;
  jobs: JobStore;
  privacy: PrivacyStore;
  /** Reachability and schema check for readiness probes (see `threadline.health`). */
  health?: StoreHealthCheck;
  /**
   * Records an inbound message in one atomic step (one round trip on a server). Optional for
   * stores written before it: without it the core records with the per-part methods, which is
   * neither atomic nor fast. `runStoreConformance` checks it unless told `inbound: false`.
   */
  inbound?: InboundLog;
  /**
   * Reads a send's recipient, consent and thread in one step (one round trip on a server).
   * Optional: without it the core reads them with the per-part methods, one round trip each.
   * `runStoreConformance` checks it unless told `outbound: false` (and `recipientMany` unless
   * told `outboundBatches: false`).
   */
  outbound?: OutboundLookup;
  /**
   * Counts failed attempts at recording a provider message and keeps its dead letter. Without
   * it a message that fails every time is answered 5xx on every provider retry.
   */
  deadLetters?: DeadLetterStore;
  /**
   * Durable agent turns: a recorded message whose turn did not finish (the instance died) is run
   * again by another instance. Optional: without it a turn lives only in the recording process.
   */
  turns?: TurnStore;
  /** Present when the store can fan out across instances. */
  pubsub?: PubSub;
  /**
   * Releases connections and timers. After it every method of every part rejects with a
   * `StoreError` whose code is `store_closed` (not retryable); closing again resolves.
   */
  close(): Promise<void>;
}
