import type { ExplainedMutant } from '../explained';

/**
 * Mutants of store-memory's users, merge, identities, privacy, consent that survive `runStoreConformance` on purpose:
 * each is equivalent (no store behaviour changes) or out of the store contract's scope, with the reason.
 */
export const explainedUsers: readonly ExplainedMutant[] = [];
