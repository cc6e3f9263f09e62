import type { ConsentStore } from './consent';
import type { DedupeStore } from './dedupe';
import type { DeliveryStore } from './deliveries';
import type { StoreHealthCheck } from './health';
import type { HeldMessageStore } from './held';
import type { IdentityStore } from './identities';
import type { JobStore } from './jobs';
import type { LeaseStore } from './leases';
import type { PrivacyStore } from './privacy';
import type { PubSub } from './pubsub';
import type { ThreadLog } from './threads';
import type { UserStore } from './users';

/**
 * Everything durable, so a host can run many instances against one store. Each part is a small
 * interface of its own; `runStoreConformance` from `@threadline/testkit` checks an implementation.
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
  /** Present when the store can fan out across instances. */
  pubsub?: PubSub;
  /** Releases connections and timers. */
  close(): Promise<void>;
}
