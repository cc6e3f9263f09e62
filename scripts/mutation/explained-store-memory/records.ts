import type { ExplainedMutant } from '../explained';

/**
 * Mutants of store-memory's jobs, turns, turn-records, dedupe, pubsub, inbound, threads, leases, held that survive `runStoreConformance` on purpose:
 * each is equivalent (no store behaviour changes) or out of the store contract's scope, with the reason.
 */
export const explainedRecords: readonly ExplainedMutant[] = [];
