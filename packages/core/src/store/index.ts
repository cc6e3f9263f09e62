export {
  checkContact,
  checkCount,
  checkDuration,
  checkSeqBound,
  completedProviderIds,
  DELIVERY_LIST_PAGE,
  newUserContacts,
  normalizeContact,
  pageSize,
  THREAD_READ_PAGE,
} from './arguments';
export type { ConsentRecord, ConsentStore } from './consent';
export {
  DEAD_LETTER_LIST_DEFAULT_LIMIT,
  DEAD_LETTER_LIST_MAX_LIMIT,
  type DeadLetter,
  type DeadLetterError,
  type DeadLetterStore,
  type FailedInboundAttempt,
  type FailureCount,
  type ProviderMessageKey,
} from './dead-letters';
export type { DedupeStore } from './dedupe';
export {
  DELIVERY_LIST_DEFAULT_LIMIT,
  DELIVERY_LIST_MAX_LIMIT,
  type Delivery,
  type DeliveryEvent,
  type DeliveryEventSource,
  type DeliveryFailure,
  type DeliveryOrigin,
  type DeliveryQuery,
  type DeliveryStore,
  type NewDelivery,
  type OutboxStats,
  type WorkLease,
} from './deliveries';
export type { BatchOutcome, DeliveryCompletion, DeliveryCreated } from './delivery-batch';
export type { StoreHealth, StoreHealthCheck } from './health';
export type { HeldMessage, HeldMessageStore } from './held';
export type {
  AddressKey,
  Identity,
  IdentityKind,
  IdentityStore,
  ResolvedIdentity,
} from './identities';
export type {
  InboundDuplicate,
  InboundLog,
  InboundRecorded,
  InboundRecordInput,
  InboundRecordResult,
} from './inbound';
export { checkFailedAttempt, checkInboundRecord, DEAD_LETTER_PAGE } from './inbound-checks';
export type { JobRecord, JobStore, NewJob } from './jobs';
export type { LeaseHolder, LeaseStore } from './leases';
export type { OutboundLookup, SendRecipient, SendRecipientInput } from './outbound';
export type { ErasureReport, PrivacyStore, UserExport } from './privacy';
export type { PubSub, Unsubscribe } from './pubsub';
export type { ThreadStore } from './thread-store';
export {
  type EntryDirection,
  type NewThreadEntry,
  THREAD_READ_DEFAULT_LIMIT,
  THREAD_READ_MAX_LIMIT,
  type Thread,
  type ThreadEntry,
  type ThreadLog,
  type ThreadReadOptions,
} from './threads';
export type { NewPendingTurn, PendingTurn, TurnStore } from './turns';
export type { ContactKind, ContactPoint, NewUser, User, UserStore } from './users';
