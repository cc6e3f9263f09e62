import type { ExplainedMutant } from '../explained';

/**
 * Mutants of store-memory's indexes, store, options, state (copy.ts and payloads.ts are in copies.ts) that survive `runStoreConformance` on purpose:
 * each is equivalent (no store behaviour changes) or out of the store contract's scope, with the reason.
 */
export const explainedInfrastructure: readonly ExplainedMutant[] = [];
