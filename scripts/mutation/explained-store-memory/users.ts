import type { ExplainedMutant } from '../explained';

const USERS = 'packages/store-memory/src/users.ts';
const MERGE = 'packages/store-memory/src/merge.ts';
const IDENTITIES = 'packages/store-memory/src/identities.ts';
const PRIVACY = 'packages/store-memory/src/privacy.ts';

/** `ValidationError`'s first argument and an issue's `message` only word the error message. */
const WORDING =
  "error message wording, which the contract does not fix (the error's class, category and issue paths are tested)";
/** Looking up `undefined` in a Map finds nothing, as the skipped lookup would. */
const MAP_MISS =
  'the mutant looks up `undefined` in a Map whose keys are strings, which finds nothing: the result is the same undefined';
/** `ensure` stores `[]` for every thread it makes, and `removeThread` deletes both together. */
const ENTRIES_SET =
  'every stored thread has an entries array (`ensureThread` sets `[]`, `removeThread` deletes both), so the fallback is never reached';
/** One owner per contact point: the contact index is the only way in, and it refuses a second. */
const ONE_OWNER =
  "a contact point belongs to one user (create and addContact refuse a taken one, resolve attaches only a free one, merge and erase move or delete the index entry), so a user's listed contacts are all indexed to that user and never in another's list";
/** An identity is removed by erasure and moved by merge before its user goes. */
const NO_ORPHAN_IDENTITY =
  "an identity never outlives its user (eraseUser removes it, merge moves it before deleting `from`), so the stored identity's user always exists and no identity is ever replaced";
/** Equal times: assigning the other value stores an equal one. */
const EQUAL_TIMES =
  'on equal times both branches store the same instant (an equal Date, copied out on every read): no caller can tell';

/**
 * Mutants of store-memory's users, merge, identities, privacy, consent that survive `runStoreConformance` on purpose:
 * each is equivalent (no store behaviour changes) or out of the store contract's scope, with the reason.
 */
export const explainedUsers: readonly ExplainedMutant[] = [
  // users.ts
  {
    file: USERS,
    mutator: 'StringLiteral',
    original: "'contact point'",
    reason: WORDING,
    kind: 'out-of-scope',
  },
  {
    file: USERS,
    mutator: 'StringLiteral',
    original: 'already belongs to user',
    reason: WORDING,
    kind: 'out-of-scope',
  },
  {
    file: USERS,
    mutator: 'StringLiteral',
    original: "'user'",
    reason: WORDING,
    kind: 'out-of-scope',
  },
  {
    file: USERS,
    mutator: 'StringLiteral',
    original: 'exists`',
    reason: WORDING,
    kind: 'out-of-scope',
  },
  {
    file: USERS,
    mutator: 'ConditionalExpression',
    original: 'input.id !== undefined',
    reason: MAP_MISS,
  },
  {
    file: USERS,
    mutator: 'ConditionalExpression',
    original: 'userId === undefined',
    reason: MAP_MISS,
  },

  // merge.ts
  {
    file: MERGE,
    mutator: 'ArrayDeclaration',
    original: '[]',
    inLine: '?? []',
    reason: ENTRIES_SET,
  },
  ...['a.rank - b.rank', 'a.entry.seq - b.entry.seq'].map(
    (original): ExplainedMutant => ({
      file: MERGE,
      mutator: 'ArithmeticOperator',
      original,
      reason:
        "a tie-break only: V8's stable sort compares an entry only with one that precedes it in the input ([into's…, from's…], each in seq order), where the sum has the difference's sign; thousands of random inputs of up to 300 entries sort alike (the tie rule is in merge-order.ts)",
    }),
  ),
  {
    file: MERGE,
    mutator: 'ConditionalExpression',
    original: 'turns === 0',
    reason:
      'an optimisation: with no pending turns in either thread the renumbering map is filled but never read (`renumberTurns` asks it once per turn)',
  },
  {
    file: MERGE,
    mutator: 'ConditionalExpression',
    original: 'renumbered !== undefined',
    reason:
      'the map is undefined only when neither thread has a pending turn, and `renumberTurns` calls the lookup once per pending turn of the two threads: never',
  },
  {
    file: MERGE,
    mutator: 'EqualityOperator',
    original: 'from.createdAt < into.createdAt',
    reason: EQUAL_TIMES,
  },
  {
    file: MERGE,
    mutator: 'ConditionalExpression',
    original: '!into.phoneNumbers.includes(value)',
    reason: ONE_OWNER,
  },
  {
    file: MERGE,
    mutator: 'ConditionalExpression',
    original: '!into.emails.includes(value)',
    reason: ONE_OWNER,
  },
  {
    file: MERGE,
    mutator: 'ConditionalExpression',
    original: 'state.contacts.get(key) === from.id',
    reason: ONE_OWNER,
  },
  {
    file: MERGE,
    mutator: 'StringLiteral',
    original: "'merge'",
    reason: WORDING,
    kind: 'out-of-scope',
  },
  {
    file: MERGE,
    mutator: 'StringLiteral',
    original: "'cannot merge a user into itself'",
    reason: WORDING,
    kind: 'out-of-scope',
  },
  {
    file: MERGE,
    mutator: 'ConditionalExpression',
    original: 'identity !== undefined',
    reason:
      'the per-user index holds only keys of stored identities (every write keeps the two in step), so the identity is always found',
  },
  {
    file: MERGE,
    mutator: 'ConditionalExpression',
    original: 'targetId === undefined',
    reason: MAP_MISS,
  },

  // identities.ts
  {
    file: IDENTITIES,
    mutator: 'ConditionalExpression',
    original: 'replaced === undefined',
    reason: NO_ORPHAN_IDENTITY,
  },
  {
    file: IDENTITIES,
    mutator: 'LogicalOperator',
    original: 'existing !== undefined && existingUser !== undefined',
    reason: NO_ORPHAN_IDENTITY,
  },
  {
    file: IDENTITIES,
    mutator: 'ConditionalExpression',
    original: 'existing !== undefined',
    inLine: 'existingUser !== undefined',
    reason: `${NO_ORPHAN_IDENTITY}; and with no identity, \`existingUser\` is undefined too`,
  },
  {
    file: IDENTITIES,
    mutator: 'ConditionalExpression',
    original: 'existingUser !== undefined',
    reason: NO_ORPHAN_IDENTITY,
  },
  {
    file: IDENTITIES,
    mutator: 'ConditionalExpression',
    original: 'ownerId === undefined',
    reason: MAP_MISS,
  },
  {
    file: IDENTITIES,
    mutator: 'ConditionalExpression',
    original: 'input.displayName === undefined',
    reason:
      '`insertUser` sets a display name only when one is given, so `{ displayName: undefined }` and `{}` make the same user',
  },
  {
    file: IDENTITIES,
    mutator: 'EqualityOperator',
    original: 'update.inboundAt > identity.lastInboundAt',
    reason: EQUAL_TIMES,
  },
  {
    file: IDENTITIES,
    mutator: 'ConditionalExpression',
    original: 'update.reference === undefined',
    replacement: 'false',
    reason:
      'copying an absent reference gives `reference: undefined`, which `touchIdentity` skips as it skips an absent one',
  },

  // privacy.ts
  {
    file: PRIVACY,
    mutator: 'ArrayDeclaration',
    original: '[]',
    inLine: '?? []',
    reason: ENTRIES_SET,
  },
  {
    file: PRIVACY,
    mutator: 'OptionalChaining',
    original: 'state.entries.get(thread.id)?.length',
    reason: ENTRIES_SET,
  },
  {
    file: PRIVACY,
    mutator: 'ConditionalExpression',
    original: 'state.contacts.get(key) === user.id',
    reason: ONE_OWNER,
  },
  {
    file: PRIVACY,
    mutator: 'ConditionalExpression',
    original: 'message !== undefined',
    replacement: 'true',
    reason:
      'the delivery index holds only ids of stored held messages (every write keeps the two in step), so the message is always found',
  },
  ...[
    { mutator: 'BlockStatement', original: 'const message = state.held.get(id)' },
    { mutator: 'ConditionalExpression', original: 'message !== undefined', replacement: 'false' },
    { mutator: 'EqualityOperator', original: 'message !== undefined' },
  ].map(
    (mutant): ExplainedMutant => ({
      file: PRIVACY,
      ...mutant,
      reason:
        "only a message held for ANOTHER user on one of the erased deliveries reaches this (the user's own are in `heldOf`); the contract does not say what happens to it, and the Redis store, which keeps held messages per user with no delivery index, leaves it",
      kind: 'out-of-scope',
    }),
  ),
];
