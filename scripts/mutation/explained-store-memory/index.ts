import type { ExplainedMutant } from '../explained';
import { explainedCopies } from './copies';
import { explainedInfrastructure } from './infrastructure';
import { explainedOutbox } from './outbox';
import { explainedRecords } from './records';
import { explainedUsers } from './users';

/**
 * Mutants of @threadline/store-memory that survive `runStoreConformance` on purpose, one file per
 * area of the store: each is equivalent (no store behaviour changes) or out of the store
 * contract's scope, with the reason.
 */
export const explained: readonly ExplainedMutant[] = [
  ...explainedCopies,
  ...explainedInfrastructure,
  ...explainedOutbox,
  ...explainedRecords,
  ...explainedUsers,
];
