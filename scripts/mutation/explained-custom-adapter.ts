import type { ExplainedMutant } from './explained';

/**
 * Mutants of the custom-adapter example that survive `runAdapterConformance` on purpose: each is
 * equivalent (no adapter behaviour changes) or out of the adapter contract's scope, with the reason.
 */
export const explained: readonly ExplainedMutant[] = [];
