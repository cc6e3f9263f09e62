import type { ExplainedMutant } from '../explained';

const DELIVERIES = 'packages/store-memory/src/deliveries.ts';
const INDEX = 'packages/store-memory/src/delivery-index.ts';
const LEASE = 'packages/store-memory/src/delivery-lease.ts';
const ENTRY = 'packages/store-memory/src/delivery-entry.ts';
const OUTBOUND = 'packages/store-memory/src/outbound.ts';

/** A map lookup of `undefined` finds nothing: no writer ever stores under an undefined key. */
const UNDEFINED_KEY =
  'looking up undefined finds nothing (no entry is ever stored under it), so skipping the guard gives the same undefined';
/** `updatedAt` is the same millisecond either way: only which equal Date object is used changes. */
const SAME_INSTANT =
  'updatedAt then takes `at` instead of the last event’s Date of the same millisecond: an equal time, and every result is copied out';
/** `state.claimable` and its two readers check the same two fields (see syncClaimable). */
const CLAIMABLE_SUPERSET =
  'the claimable set then also holds deliveries that are not queued or have no nextAttemptAt; selectDue and outboxStats check both fields again, so only memory changes';
const CLAIMABLE_RECHECK =
  'the claimable set holds only queued deliveries with a nextAttemptAt (syncClaimable runs after every write), so this re-check never skips anything';
/** Deliveries listed out of creation order only when the clock goes backwards. */
const CLOCK_BACKWARDS =
  'creation order reversed is already newest first while the clock moves forward; a clock going backwards is outside the contract (decided for issue 22)';
/** An index entry under an owner no query can name. */
const UNDEFINED_OWNER =
  'an index entry (or a delete) under an undefined owner: no lookup ever names undefined (list without userId scans every delivery), so nothing reads it';
/** An erased delivery's idempotency key left in the map points at an id `find` no longer resolves. */
const STALE_KEY =
  'a key left behind points at the erased id, which find() no longer resolves: create and getByIdempotencyKey then act as for an unused key (memory only)';
/** Error wording: the `what` of a ValidationError's message differs between stores. */
const WORDING =
  'only the error message’s wording (its "Invalid <what>" prefix, which other stores word differently); the class, category and issue path are what the suite checks';

/**
 * Mutants of store-memory's deliveries, delivery-index, delivery-lease, delivery-entry, dead-letters, outbound that survive `runStoreConformance` on purpose:
 * each is equivalent (no store behaviour changes) or out of the store contract's scope, with the reason.
 */
export const explainedOutbox: readonly ExplainedMutant[] = [
  // delivery-entry.ts: the lookup of the thread a create's entry goes to.
  {
    file: ENTRY,
    mutator: 'ConditionalExpression',
    original: 'threadId === undefined',
    inLine: 'const entries =',
    reason: UNDEFINED_KEY,
  },
  {
    file: ENTRY,
    mutator: 'ConditionalExpression',
    original: 'threadId === undefined',
    inLine: 'if (threadId === undefined || entries === undefined)',
    reason:
      'without a threadId the entries lookup above is undefined already, so the next test throws the same NotFoundError',
  },
  {
    file: ENTRY,
    mutator: 'StringLiteral',
    original: "'(no threadId)'",
    reason:
      'the placeholder id of a NotFoundError for a create with an entry and no threadId: there is no id to name; kind and code are what the suite checks',
  },
  // deliveries.ts
  {
    file: DELIVERIES,
    mutator: 'ConditionalExpression',
    original: 'query.userId === undefined || delivery.userId === query.userId',
    reason:
      'with a userId the candidates come from that user’s index, which holds exactly that user’s deliveries, so the filter never drops one',
  },
  {
    file: DELIVERIES,
    mutator: 'ConditionalExpression',
    original: 'query.userId === undefined',
    inLine: 'query.userId === undefined',
    replacement: 'true',
    reason:
      'a scan of every delivery, filtered by userId, selects the same deliveries in the same order as the user’s index: the index is an optimisation',
  },
  {
    file: DELIVERIES,
    mutator: 'ArithmeticOperator',
    original: 'delivery.events.length - 1',
    reason: SAME_INSTANT,
  },
  {
    file: DELIVERIES,
    mutator: 'ConditionalExpression',
    original: 'last?.at instanceof Date && last.at.getTime() === at.getTime()',
    replacement: 'false',
    reason: SAME_INSTANT,
  },
  {
    file: DELIVERIES,
    mutator: 'OptionalChaining',
    original: 'last?.at',
    reason: 'every delivery has at least its queued event, so the last event is never undefined',
  },
  {
    file: DELIVERIES,
    mutator: 'ConditionalExpression',
    original: 'key === undefined',
    inLine: 'const existingId',
    reason: UNDEFINED_KEY,
  },
  {
    file: DELIVERIES,
    mutator: 'ConditionalExpression',
    original: 'existingId === undefined',
    reason: UNDEFINED_KEY,
  },
  {
    file: DELIVERIES,
    mutator: 'ConditionalExpression',
    original: 'key !== undefined',
    inLine: 'state.deliveryByIdempotencyKey.set',
    reason:
      'an entry under an undefined key: the lookup above skips an undefined key, so nothing ever reads it (memory only)',
  },
  {
    file: DELIVERIES,
    mutator: 'ConditionalExpression',
    original: 'id === undefined',
    inLine: 'const delivery = id === undefined',
    reason: UNDEFINED_KEY,
  },
  {
    file: DELIVERIES,
    mutator: 'MethodExpression',
    original: '.reverse()',
    reason: CLOCK_BACKWARDS,
    kind: 'out-of-scope',
  },
  {
    file: DELIVERIES,
    mutator: 'ArrowFunction',
    original: '(a, b) => b.createdAt.getTime() - a.createdAt.getTime()',
    reason: CLOCK_BACKWARDS,
    kind: 'out-of-scope',
  },
  {
    file: DELIVERIES,
    mutator: 'ArithmeticOperator',
    original: 'b.createdAt.getTime() - a.createdAt.getTime()',
    reason: `${CLOCK_BACKWARDS}; an always-positive comparator leaves V8's sort input as it is`,
    kind: 'out-of-scope',
  },
  {
    file: DELIVERIES,
    mutator: 'StringLiteral',
    original: "'delivery query'",
    reason: WORDING,
    kind: 'out-of-scope',
  },
  {
    file: DELIVERIES,
    mutator: 'OptionalChaining',
    original: 'delivery.nextAttemptAt?.getTime',
    reason: CLAIMABLE_RECHECK,
  },
  {
    file: DELIVERIES,
    mutator: 'ConditionalExpression',
    original: "delivery.status !== 'queued'",
    inLine: 'at === undefined || at > nowMs',
    reason: CLAIMABLE_RECHECK,
  },
  {
    file: DELIVERIES,
    mutator: 'LogicalOperator',
    original: "delivery.status !== 'queued' || at === undefined",
    reason: CLAIMABLE_RECHECK,
  },
  {
    file: DELIVERIES,
    mutator: 'ConditionalExpression',
    original: 'at === undefined',
    inLine: "delivery.status !== 'queued' || at === undefined",
    reason: CLAIMABLE_RECHECK,
  },
  {
    file: DELIVERIES,
    mutator: 'EqualityOperator',
    original: 'at < oldest',
    reason: 'an equal time replaces the oldest with the same value',
  },
  {
    file: DELIVERIES,
    mutator: 'ConditionalExpression',
    original: 'delivery.providerMessageIds !== undefined',
    inLine: 'else if',
    reason:
      'deleting a field the delivery does not have changes nothing (only the object’s shape, a speed concern)',
  },
  // delivery-index.ts
  {
    file: INDEX,
    mutator: 'ConditionalExpression',
    original: 'delivery.status === ',
    inLine: "if (delivery.status === 'queued' && delivery.nextAttemptAt !== null)",
    reason: CLAIMABLE_SUPERSET,
  },
  {
    file: INDEX,
    mutator: 'ConditionalExpression',
    original: 'delivery.nextAttemptAt !== null',
    inLine: "if (delivery.status === 'queued' && delivery.nextAttemptAt !== null)",
    reason: CLAIMABLE_SUPERSET,
  },
  {
    file: INDEX,
    mutator: 'LogicalOperator',
    original: "delivery.status === 'queued' && delivery.nextAttemptAt !== null",
    reason: CLAIMABLE_SUPERSET,
  },
  {
    file: INDEX,
    mutator: 'BlockStatement',
    original: 'state.claimable.delete(delivery);',
    inLine: '} else {',
    reason: CLAIMABLE_SUPERSET,
  },
  {
    file: INDEX,
    mutator: 'ConditionalExpression',
    original: 'delivery.userId !== undefined',
    replacement: 'true',
    reason: UNDEFINED_OWNER,
  },
  {
    file: INDEX,
    mutator: 'ConditionalExpression',
    original: 'delivery.threadId !== undefined',
    replacement: 'true',
    reason: UNDEFINED_OWNER,
  },
  {
    file: INDEX,
    mutator: 'ConditionalExpression',
    original: 'replaced === undefined',
    reason:
      'only an id the generator repeated is ever replaced, and the store’s generator never repeats one',
  },
  {
    file: INDEX,
    mutator: 'ConditionalExpression',
    original: 'delivery.providerMessageId === undefined',
    reason:
      'only a delivery never completed has no provider id; it is never indexed, and unindexing [undefined] finds no entry of its own to delete',
  },
  {
    file: INDEX,
    mutator: 'ArrayDeclaration',
    original: '[]',
    inLine: 'return delivery.providerMessageId === undefined',
    reason:
      'only a delivery never completed has no provider id; it is never indexed (complete sets the id first), and unindexing a made-up id deletes nothing that points at it',
  },
  {
    file: INDEX,
    mutator: 'ConditionalExpression',
    original: 'ids.length === 0',
    reason:
      'an adapter with no ids then gets an empty map: memory only, no lookup finds anything in it',
  },
  {
    file: INDEX,
    mutator: 'ConditionalExpression',
    original: 'byAdapter.size === 0',
    reason:
      'an adapter whose ids are all gone keeps an empty map: memory only, no lookup finds anything in it',
  },
  {
    file: INDEX,
    mutator: 'ConditionalExpression',
    original: 'delivery.idempotencyKey !== undefined',
    reason: STALE_KEY,
  },
  {
    file: INDEX,
    mutator: 'EqualityOperator',
    original: 'delivery.idempotencyKey !== undefined',
    reason: STALE_KEY,
  },
  {
    file: INDEX,
    mutator: 'BlockStatement',
    original: 'state.deliveryByIdempotencyKey.delete(delivery.idempotencyKey);',
    reason: STALE_KEY,
  },
  {
    file: INDEX,
    mutator: 'ConditionalExpression',
    original: "delivery.status !== 'queued'",
    inLine: 'at === null || at.getTime() > nowMs',
    reason: CLAIMABLE_RECHECK,
  },
  {
    file: INDEX,
    mutator: 'LogicalOperator',
    original: "delivery.status !== 'queued' || at === null",
    reason: CLAIMABLE_RECHECK,
  },
  {
    file: INDEX,
    mutator: 'ConditionalExpression',
    original: 'at === null',
    inLine: "delivery.status !== 'queued' || at === null",
    reason: CLAIMABLE_RECHECK,
  },
  {
    file: INDEX,
    mutator: 'ConditionalExpression',
    original: 'due.length > limit',
    reason: 'slicing an array no longer than limit to limit gives the same items',
  },
  {
    file: INDEX,
    mutator: 'EqualityOperator',
    original: 'due.length > limit',
    reason: 'slicing an array of exactly limit items to limit gives the same items',
  },
  // delivery-lease.ts: renewLease is optional in the contract.
  {
    file: LEASE,
    mutator: 'BlockStatement',
    original: 'async renewLease(',
    reason:
      'renewLease is optional (the suite runs its rules only when a store has it); store-memory’s own memory-store.test.ts checks the memory store offers it',
    kind: 'out-of-scope',
  },
  {
    file: LEASE,
    mutator: 'ObjectLiteral',
    original: 'async renewLease(',
    reason:
      'renewLease is optional (the suite runs its rules only when a store has it); store-memory’s own memory-store.test.ts checks the memory store offers it',
    kind: 'out-of-scope',
  },
  {
    file: LEASE,
    mutator: 'StringLiteral',
    original: "'lease'",
    reason: WORDING,
    kind: 'out-of-scope',
  },
  // outbound.ts
  {
    file: OUTBOUND,
    mutator: 'ConditionalExpression',
    original: 'threadId === undefined',
    reason: UNDEFINED_KEY,
  },
];
