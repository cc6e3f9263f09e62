import { describe } from 'vitest';
import { describeClosedStore } from './closed-store';
import { describeConsent } from './consent';
import { describeConsentBatch } from './consent-batch';
import { describeConsentTies } from './consent-ties';
import { describeCopies } from './copies';
import { describeDeadLetters } from './dead-letters';
import { describeDedupe } from './dedupe';
import { describeDedupeExtend } from './dedupe-extend';
import { describeDeepValues } from './deep-values';
import { describeDeliveries } from './deliveries';
import { describeDeliveryBatch } from './delivery-batch';
import { describeDeliveryCompletions } from './delivery-completions';
import { describeDeliveryEntry } from './delivery-entry';
import { describeDeliveryFieldErrors } from './delivery-field-errors';
import { describeDeliveryHistory } from './delivery-history';
import { describeDeliveryLease } from './delivery-lease';
import { describeDeliveryNotFound } from './delivery-not-found';
import { describeDeliveryPayloads } from './delivery-payloads';
import { describeDeliveryRules } from './delivery-rules';
import { describeDeliveryStaleCalls } from './delivery-stale-calls';
import { describeDeliveryStatus } from './delivery-status';
import { describeDeliveryUpdatedAt } from './delivery-updated-at';
import { describeDeliveryWork } from './delivery-work';
import { createStoreHarness, type StoreFactory } from './harness';
import { describeHeld } from './held';
import { describeIdentities } from './identities';
import { describeIdentityBatch } from './identity-batch';
import { describeIdentityRules } from './identity-rules';
import { describeInbound } from './inbound';
import { describeInboundBatch } from './inbound-batch';
import { describeInboundTurn } from './inbound-turn';
import { describeJobRules } from './job-rules';
import { describeJobs } from './jobs';
import { describeLeases } from './leases';
import { describeMergeLists } from './merge-lists';
import { describeMergeOrder } from './merge-order';
import { describeMergeTurnKeys } from './merge-turn-keys';
import { describeOutbound } from './outbound';
import { describeOutboundBatch } from './outbound-batch';
import { describePrivacy } from './privacy';
import { describePrivacyExport } from './privacy-export';
import { describePrivacyThreadDeliveries } from './privacy-thread-deliveries';
import { describePrivacyTurns } from './privacy-turns';
import { describeProviderIdSharing } from './provider-id-sharing';
import { describeProviderIds } from './provider-ids';
import { describePubSub } from './pubsub';
import { describePubSubUnsubscribe } from './pubsub-unsubscribe';
import { describeRecordKeys } from './record-keys';
import { describeThreadErrors } from './thread-errors';
import { describeThreads } from './threads';
import { describeTurnClaimOrder } from './turn-claim-order';
import { describeTurns } from './turns';
import { describeTwoInstances, type StorePairFactory } from './two-instances';
import { describeUserRules } from './user-rules';
import { describeUsers } from './users';
import { describeValidation } from './validation';
import { describeValidationPaths } from './validation-paths';

/** Options of {@link runStoreConformance}. */
export interface StoreConformanceOptions {
  /** Names the outer `describe` block (`<name> conformance`). Defaults to `ThreadStore`. */
  name?: string;
  /**
   * Whether the store offers cross-instance pub/sub (`store.pubsub`). Declared up front because
   * vitest collects tests before any store exists: `true` (the default) runs the pub/sub tests and
   * requires `store.pubsub`; `false` checks that the store does not pretend to have it.
   */
  pubsub?: boolean;
  /**
   * Whether the store offers `store.inbound` (one-step inbound recording). `true` (the default)
   * runs its tests and requires it; `false` checks that the store leaves it out, so the core
   * falls back to the per-part methods. Only for a store written before the part existed.
   */
  inbound?: boolean;
  /** Whether the store offers `store.deadLetters`; as `inbound`, `true` by default. */
  deadLetters?: boolean;
  /** Whether the store offers `store.dedupe.extend`; as `inbound`, `true` by default. */
  dedupeExtend?: boolean;
  /** Whether the store offers `store.turns` (durable agent turns); as `inbound`, `true` by default. */
  turns?: boolean;
  /**
   * Whether `deliveries.create` writes `threadEntry` with the delivery in one commit; as
   * `inbound`, `true` by default. `false` checks that the store ignores the field.
   */
  deliveryEntries?: boolean;
  /**
   * Whether the store offers `deliveries.createMany` and `deliveries.completeMany` (group
   * commit); as `inbound`, `true` by default. `false` checks that the store leaves both out, so
   * the core creates and completes one by one.
   */
  deliveryBatches?: boolean;
  /**
   * Whether the store offers `inbound.recordMany` (group commit of inbound records); as
   * `inbound`, `true` by default (and only checked when `inbound` is). `false` checks that the
   * store leaves it out, so the core records one message at a time.
   */
  inboundBatches?: boolean;
  /** Whether the store offers `store.outbound` (a send's reads in one step); as `inbound`, `true` by default. */
  outbound?: boolean;
  /**
   * Whether the store offers `store.outbound.recipientMany` (group commit of a send's reads);
   * as `outbound` by default. `false` checks that the store leaves it out, so the core looks each
   * recipient up with `recipient`.
   */
  outboundBatches?: boolean;
  /**
   * Whether the store offers the batch reads `consent.isOptedOutMany` and `identities.getMany`
   * (the core reads one tick's bulk sends together). Left out (the default), each is checked
   * when the store has it and shows as skipped when it does not (both are optional, and a store
   * written before them needs no change); `true` requires both, so a store that loses one
   * fails; `false` checks that the store leaves both out.
   */
  readBatches?: boolean;
  /**
   * Two-instance mode: makes two store objects on one fresh database (see
   * {@link StorePairFactory}); the suite then also races claims (dedupe, idempotency keys,
   * `deliveries.claimDue`, leases, jobs, turns) and thread seqs across the two, which catches a
   * store that is atomic only inside one process. Leave it out for a store whose data lives in
   * its own object (the memory store): two objects there are two databases.
   */
  twoInstances?: StorePairFactory;
}

/**
 * Registers the `ThreadStore` conformance suite with vitest: every method of every part, plus the
 * properties that only show under load (concurrent appends, claims and releases, run as real
 * parallel promises). Call it at the top level of a test file.
 *
 * `factory` is called before each test with a fresh fake clock and must return an isolated, empty
 * store that takes every "now" from that clock; the suite moves the clock to expire TTLs and
 * leases instead of sleeping, and calls `store.close()` after each test. Pass `pubsub: false` for
 * a store without `store.pubsub`.
 *
 * @example
 * ```ts
 * // packages/store-memory/test/conformance.test.ts
 * import { runStoreConformance } from '@threadline/testkit';
 * import { createMemoryStore } from '../src/index';
 *
 * runStoreConformance(({ clock }) => createMemoryStore({ clock }), { name: 'memory store' });
 * ```
 */
export function runStoreConformance(
  factory: StoreFactory,
  options: StoreConformanceOptions = {},
): void {
  // Sequential even under `--sequence.concurrent`: each test owns the one current store.
  describe.sequential(`${options.name ?? 'ThreadStore'} conformance`, () => {
    const harness = createStoreHarness(factory);
    describeUsers(harness);
    describeUserRules(harness);
    describeMergeOrder(harness);
    describeIdentities(harness);
    describeIdentityRules(harness);
    describeIdentityBatch(harness, options.readBatches);
    describeThreads(harness);
    describeThreadErrors(harness);
    describeDedupe(harness);
    describeDedupeExtend(harness, options.dedupeExtend ?? true);
    describeInbound(harness, options.inbound ?? true);
    if (options.inbound ?? true) describeInboundBatch(harness, options.inboundBatches ?? true);
    describeDeadLetters(harness, options.deadLetters ?? true);
    describeDeliveries(harness);
    describeDeliveryWork(harness);
    describeDeliveryHistory(harness);
    describeDeliveryLease(harness);
    describeDeliveryEntry(harness, options.deliveryEntries ?? true);
    describeDeliveryBatch(harness, {
      offered: options.deliveryBatches ?? true,
      entries: options.deliveryEntries ?? true,
    });
    describeDeliveryCompletions(harness, options.deliveryBatches ?? true);
    describeOutbound(harness, options.outbound ?? true);
    describeOutboundBatch(harness, options.outboundBatches ?? options.outbound ?? true);
    describeDeliveryPayloads(harness);
    describeDeliveryStatus(harness);
    describeDeliveryRules(harness);
    describeProviderIds(harness);
    describeProviderIdSharing(harness);
    describeDeliveryNotFound(harness, options.deliveryEntries ?? true);
    describeDeliveryStaleCalls(harness);
    describeDeliveryUpdatedAt(harness);
    describeDeliveryFieldErrors(harness);
    describeHeld(harness);
    describeConsent(harness);
    describeConsentTies(harness);
    describeConsentBatch(harness, options.readBatches);
    describeLeases(harness);
    describeJobs(harness);
    describeJobRules(harness);
    describeTurns(harness, options.turns ?? true);
    if (options.turns ?? true) describeTurnClaimOrder(harness);
    if ((options.turns ?? true) && (options.inbound ?? true)) describeInboundTurn(harness);
    describePubSub(harness, options.pubsub ?? true);
    if (options.pubsub ?? true) describePubSubUnsubscribe(harness);
    describePrivacy(harness);
    describePrivacyThreadDeliveries(harness);
    describePrivacyExport(harness);
    if (options.turns ?? true) describePrivacyTurns(harness);
    if (options.turns ?? true) describeMergeTurnKeys(harness);
    describeCopies(harness);
    describeValidation(harness);
    describeClosedStore(harness);
    describeMergeLists(harness);
    describeDeepValues(harness);
    describeRecordKeys(harness);
    describeValidationPaths(harness, {
      turns: options.turns ?? true,
      inboundTurns: (options.turns ?? true) && (options.inbound ?? true),
    });
  });
  const pair = options.twoInstances;
  if (pair !== undefined) {
    describe.sequential(`${options.name ?? 'ThreadStore'} conformance`, () => {
      describeTwoInstances(pair);
    });
  }
}
