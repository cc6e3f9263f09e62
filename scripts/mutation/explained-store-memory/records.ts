import type { ExplainedMutant } from '../explained';

const PUBSUB = 'packages/store-memory/src/pubsub.ts';
const DEDUPE = 'packages/store-memory/src/dedupe.ts';
const HELD = 'packages/store-memory/src/held.ts';
const INBOUND = 'packages/store-memory/src/inbound.ts';
const JOBS = 'packages/store-memory/src/jobs.ts';
const THREADS = 'packages/store-memory/src/threads.ts';
const TURN_RECORDS = 'packages/store-memory/src/turn-records.ts';
const TURNS = 'packages/store-memory/src/turns.ts';

/** The `what` of a ValidationError only words its message; the conformance suite pins `path`. */
const WORDING =
  "the ValidationError's `what` only words its message (stores differ: 'lease', 'ttl'); class, category and issue path are what the contract fixes";
/** Removing a topic's empty handler set only frees memory. */
const EMPTY_TOPIC =
  'an empty handler set left in the map is never iterated into a call: publish fans out to nobody either way (memory only)';
/** The sweep only drops claims that `isLive` already treats as expired. */
const SWEEP =
  'the sweep only frees memory: it deletes claims isLive already treats as expired, and take overwrites a claim either way';
/** A generator that repeats an id is the only way to reach these branches. */
const REPEATED_ID =
  'only a generateId option that repeats an id reaches this (store-specific factory option); covered by store-memory test/repeated-ids.test.ts';
/** Map.get(undefined) is undefined, so the guard only saves a lookup. */
const GET_UNDEFINED = 'the guard only saves a lookup: Map.get(undefined) is undefined as well';

/**
 * Mutants of store-memory's jobs, turns, turn-records, dedupe, pubsub, inbound, threads, leases, held that survive `runStoreConformance` on purpose:
 * each is equivalent (no store behaviour changes) or out of the store contract's scope, with the reason.
 */
export const explainedRecords: readonly ExplainedMutant[] = [
  // pubsub.ts
  {
    file: PUBSUB,
    mutator: 'ConditionalExpression',
    original: 'closed',
    inLine: 'if (closed) return;',
    reason:
      "unreachable: the store's guard rejects publish once closed, and close empties the topics map anyway",
  },
  {
    file: PUBSUB,
    mutator: 'ConditionalExpression',
    original: '!topics.get(topic)?.has(handler)',
    reason:
      'the contract is best effort: a message published before unsubscribe may still reach the subscriber; the memory store stops at once, which is stricter',
    kind: 'out-of-scope',
  },
  {
    file: PUBSUB,
    mutator: 'ConditionalExpression',
    original: 'handlers.size === 0 && topics.get(topic) === handlers',
    replacement: 'false',
    reason: EMPTY_TOPIC,
  },
  {
    file: PUBSUB,
    mutator: 'EqualityOperator',
    original: 'topics.get(topic) === handlers',
    reason: `${EMPTY_TOPIC}; the set of an emptied topic then stays current, so a later subscriber joins it`,
  },
  {
    file: PUBSUB,
    mutator: 'BlockStatement',
    original: 'closed = true; topics.clear();',
    reason:
      "after close the store's guard rejects every call; clearing the map only frees it (what reaches a subscriber around close is outside the contract)",
  },
  {
    file: PUBSUB,
    mutator: 'BooleanLiteral',
    original: 'true',
    inLine: 'closed = true;',
    reason:
      "the flag only backs the store's own guard, which rejects publish after close before it gets here",
  },

  // dedupe.ts: the sweep.
  { file: DEDUPE, mutator: 'BlockStatement', original: 'if (expiresAt <= nowMs)', reason: SWEEP },
  { file: DEDUPE, mutator: 'EqualityOperator', original: 'expiresAt <= nowMs', reason: SWEEP },
  { file: DEDUPE, mutator: 'ConditionalExpression', original: 'expiresAt <= nowMs', reason: SWEEP },
  {
    file: DEDUPE,
    mutator: 'ConditionalExpression',
    original: 'state.claims.size >= sweepAt',
    reason: `${SWEEP}; when it runs changes only its cost`,
  },
  {
    file: DEDUPE,
    mutator: 'LogicalOperator',
    original: '!state.claims.has(key) && state.claims.size >= sweepAt',
    reason: `${SWEEP}; when it runs changes only its cost`,
  },
  {
    file: DEDUPE,
    mutator: 'BooleanLiteral',
    original: '!state.claims.has(key)',
    reason: `${SWEEP}; when it runs changes only its cost`,
  },
  {
    file: DEDUPE,
    mutator: 'EqualityOperator',
    original: 'state.claims.size >= sweepAt',
    reason: `${SWEEP}; when it runs changes only its cost`,
  },

  // held.ts, threads.ts: a repeated id.
  {
    file: HELD,
    mutator: 'ConditionalExpression',
    original: 'replaced === undefined',
    reason: REPEATED_ID,
    kind: 'out-of-scope',
  },
  {
    file: THREADS,
    mutator: 'ConditionalExpression',
    original: 'replaced === undefined',
    reason: REPEATED_ID,
    kind: 'out-of-scope',
  },

  // inbound.ts
  {
    file: INBOUND,
    mutator: 'StringLiteral',
    original: "'lease'",
    reason: WORDING,
    kind: 'out-of-scope',
  },
  {
    file: INBOUND,
    mutator: 'ConditionalExpression',
    original: 'input.reference === undefined',
    reason: 'copy(undefined) is undefined: the guard only skips a call',
  },
  {
    file: INBOUND,
    mutator: 'ConditionalExpression',
    original: 'reference === undefined',
    inLine: '...(reference === undefined',
    reason: 'touchIdentity ignores an undefined reference, so passing one changes nothing',
  },
  {
    file: INBOUND,
    mutator: 'ConditionalExpression',
    original: 'turns !== undefined',
    replacement: 'true',
    reason: 'createMemoryStore always gives the inbound log its turn store',
  },
  {
    file: INBOUND,
    mutator: 'ConditionalExpression',
    original: 'input.turn !== undefined && turns !== undefined',
    reason:
      'the contract lets a store leave the turn to the core (InboundRecordInput.turn), and the suite accepts either; covered by store-memory test/inbound-turn.test.ts',
    kind: 'out-of-scope',
  },
  {
    file: INBOUND,
    mutator: 'EqualityOperator',
    original: 'turns !== undefined',
    reason:
      'the contract lets a store leave the turn to the core (InboundRecordInput.turn), and the suite accepts either; covered by store-memory test/inbound-turn.test.ts',
    kind: 'out-of-scope',
  },
  {
    file: INBOUND,
    mutator: 'BlockStatement',
    original: 'result.turn = turns.enqueueNow(',
    reason:
      'the contract lets a store leave the turn to the core (InboundRecordInput.turn), and the suite accepts either; covered by store-memory test/inbound-turn.test.ts',
    kind: 'out-of-scope',
  },

  // jobs.ts
  {
    file: JOBS,
    mutator: 'StringLiteral',
    original: "'job claim'",
    reason: WORDING,
    kind: 'out-of-scope',
  },
  {
    file: JOBS,
    mutator: 'OptionalChaining',
    original: 'nextRunAt?.getTime',
    reason: 'the filter before the sort keeps only jobs with a nextRunAt, so it is never null here',
  },

  // threads.ts
  {
    file: THREADS,
    mutator: 'ConditionalExpression',
    original: 'existingId === undefined',
    reason: GET_UNDEFINED,
  },

  // turn-records.ts
  {
    file: TURN_RECORDS,
    mutator: 'ConditionalExpression',
    original: 'id === undefined',
    reason: GET_UNDEFINED,
  },
  {
    file: TURN_RECORDS,
    mutator: 'ConditionalExpression',
    original: 'seq !== undefined',
    reason:
      'impossible input: only a turn whose message is not in its thread has no new seq, and every turn is enqueued for a recorded entry, which is deleted only with its user (and the turn)',
  },

  // turns.ts
  {
    file: TURNS,
    mutator: 'StringLiteral',
    original: "'lease'",
    reason: WORDING,
    kind: 'out-of-scope',
  },
  {
    file: TURNS,
    mutator: 'StringLiteral',
    original: "'turn claim'",
    reason: WORDING,
    kind: 'out-of-scope',
  },
  {
    file: TURNS,
    mutator: 'EqualityOperator',
    original: 'turn.seq < (firstLive.get(turn.threadId)',
    reason:
      "one pending turn per thread and seq: an expired turn never has the seq of its thread's first live one",
  },
];
