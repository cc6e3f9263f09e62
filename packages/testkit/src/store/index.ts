export { createDueDeliveries, waitFor } from './due-deliveries';
export { inboundInput, newDelivery, newPendingTurn } from './fixtures';
export type { StoreFactory } from './harness';
export { runStoreConformance, type StoreConformanceOptions } from './run-store-conformance';
export type { StorePairFactory } from './two-instances';
