import { randomUUID } from 'node:crypto';
import { type Clock, systemClock, type ThreadStore } from '@threadline/core';
import { createConsentStore } from './consent';
import { openDatabase } from './database';
import { createDeadLetterStore } from './dead-letters';
import { createDedupeStore } from './dedupe';
import { createDeliveryStore } from './deliveries';
import { createHeldMessageStore } from './held';
import { createIdentityStore } from './identities';
import { createInboundLog } from './inbound';
import { createJobStore } from './jobs';
import { createLeaseStore } from './leases';
import { createPrivacyStore } from './privacy';
import type { StoreContext } from './rows';
import { createThreadLog } from './threads';
import { createUserStore } from './users';

/** Options of {@link createSqliteStore}. */
export interface SqliteStoreOptions {
  /** Where every "now" comes from (TTLs, leases, timestamps). Defaults to the system clock. */
  clock?: Clock;
}

/**
 * A `ThreadStore` on SQLite through sql.js (SQLite compiled to WebAssembly: no native build).
 * The database lives in memory, one per store, and is gone on `close()`: a starting point for a
 * store of your own, not a production store. It has no `pubsub`: one process, nothing to fan out.
 *
 * @example
 * ```ts
 * const store = await createSqliteStore();
 * const threadline = createThreadline({ store, adapters: [...] });
 * ```
 */
export async function createSqliteStore(options: SqliteStoreOptions = {}): Promise<ThreadStore> {
  const db = await openDatabase();
  const ctx: StoreContext = { db, clock: options.clock ?? systemClock, newId: randomUUID };
  return {
    users: createUserStore(ctx),
    identities: createIdentityStore(ctx),
    threads: createThreadLog(ctx),
    dedupe: createDedupeStore(ctx),
    deliveries: createDeliveryStore(ctx),
    held: createHeldMessageStore(ctx),
    consent: createConsentStore(ctx),
    leases: createLeaseStore(ctx),
    jobs: createJobStore(ctx),
    privacy: createPrivacyStore(ctx),
    inbound: createInboundLog(ctx),
    deadLetters: createDeadLetterStore(ctx),
    async close() {
      db.close();
    },
  };
}
