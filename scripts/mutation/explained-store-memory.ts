import type { ExplainedMutant } from './explained';

/**
 * Mutants of @threadline/store-memory that survive `runStoreConformance` on purpose: each is
 * equivalent (no store behaviour changes) or out of the store contract's scope, with the reason.
 */
export const explained: readonly ExplainedMutant[] = [];
