import type { ExplainedMutant } from '../explained';

/**
 * Mutants of store-memory's deliveries, delivery-index, delivery-lease, delivery-entry, dead-letters, outbound that survive `runStoreConformance` on purpose:
 * each is equivalent (no store behaviour changes) or out of the store contract's scope, with the reason.
 */
export const explainedOutbox: readonly ExplainedMutant[] = [];
