import type { ExplainedMutant } from '../explained';

const INDEXES = 'packages/store-memory/src/indexes.ts';
const OPTIONS = 'packages/store-memory/src/options.ts';
const STORE = 'packages/store-memory/src/store.ts';
const STATE = 'packages/store-memory/src/state.ts';

/** The conformance suite cannot know a store's factory options (see the mutation brief). */
const FACTORY_OPTION =
  "store-specific factory option; covered by store-memory's own tests (test/memory-store.test.ts)";
/** The id flattening in state.ts is a memory-layout optimisation. */
const FLAT_ID =
  'only whether a generated id is kept as a flat copy changes (memory layout); the id itself is equal either way';

/**
 * Mutants of store-memory's indexes, store, options, state (copy.ts and payloads.ts are in copies.ts) that survive `runStoreConformance` on purpose:
 * each is equivalent (no store behaviour changes) or out of the store contract's scope, with the reason.
 */
export const explainedInfrastructure: readonly ExplainedMutant[] = [
  {
    file: INDEXES,
    mutator: 'ConditionalExpression',
    original: 'group.size === 0',
    replacement: 'false',
    reason:
      "an emptied owner's set left in the map: a lookup of that owner finds no keys either way, so only memory changes (seen killed by a timeout in one run, surviving in another)",
  },
  // indexes.ts: CreationOrder.
  {
    file: INDEXES,
    mutator: 'BlockStatement',
    original: 'this.#ordinals.delete(key);',
    reason:
      'a removed key keeps its ordinal: no read lists a removed record, and a key that comes back (a re-resolved address) gets a new ordinal from add()',
  },
  {
    file: INDEXES,
    mutator: 'BlockStatement',
    original: 'return this.#ordinals.size;',
    reason: "size is read only by store-memory's own tests (memory use), never by the store",
    kind: 'out-of-scope',
  },
  {
    file: INDEXES,
    mutator: 'ConditionalExpression',
    original: 'keys.length < 2',
    replacement: 'false',
    reason: 'sorting zero or one key leaves it as it is',
  },
  // indexes.ts: OwnerIndex.
  {
    file: INDEXES,
    mutator: 'ConditionalExpression',
    original: 'group === undefined',
    inLine: 'if (group === undefined) return;',
    reason:
      'writers keep the index in step with the records, so every delete names an owner that holds the key: the guard is defensive',
  },
  {
    file: INDEXES,
    mutator: 'ConditionalExpression',
    original: 'from === to',
    inLine: 'if (from === to) return;',
    reason:
      'deleting and re-adding a key of one owner only moves it last in the set, and every read sorts by CreationOrder',
  },
  {
    file: INDEXES,
    mutator: 'ConditionalExpression',
    original: 'from === to',
    replacement: 'false',
    inLine: 'if (moving === undefined || from === to) return;',
    reason:
      'merging a user into itself is refused before the index is touched; and deleting then setting the same group changes nothing',
  },
  {
    file: INDEXES,
    mutator: 'BlockStatement',
    original: 'return this.#groups.keys();',
    reason: "owners() is read only by store-memory's own index-model test, never by the store",
    kind: 'out-of-scope',
  },
  // options.ts: the factory's option schema.
  {
    file: OPTIONS,
    mutator: 'ConditionalExpression',
    original: 'typeof',
    reason: FACTORY_OPTION,
    kind: 'out-of-scope',
  },
  {
    file: OPTIONS,
    mutator: 'ConditionalExpression',
    original: 'value !== null',
    reason: FACTORY_OPTION,
    kind: 'out-of-scope',
  },
  {
    file: OPTIONS,
    mutator: 'LogicalOperator',
    original: 'typeof value',
    reason: FACTORY_OPTION,
    kind: 'out-of-scope',
  },
  {
    file: OPTIONS,
    mutator: 'EqualityOperator',
    original: 'typeof value',
    reason: FACTORY_OPTION,
    kind: 'out-of-scope',
  },
  {
    file: OPTIONS,
    mutator: 'StringLiteral',
    original: "'",
    reason: FACTORY_OPTION,
    kind: 'out-of-scope',
  },
  {
    file: OPTIONS,
    mutator: 'ObjectLiteral',
    original: 'error:',
    reason: FACTORY_OPTION,
    kind: 'out-of-scope',
  },
  {
    file: OPTIONS,
    mutator: 'ArrowFunction',
    original: '(value) =>',
    reason: FACTORY_OPTION,
    kind: 'out-of-scope',
  },
  // store.ts: the factory and the closed-store guard.
  {
    file: STORE,
    mutator: 'StringLiteral',
    original: "'createMemoryStore'",
    reason: FACTORY_OPTION,
    kind: 'out-of-scope',
  },
  {
    file: STORE,
    mutator: 'OptionalChaining',
    original: 'options?.',
    reason: FACTORY_OPTION,
    kind: 'out-of-scope',
  },
  {
    file: STORE,
    mutator: 'StringLiteral',
    original: 'The memory store is closed (called',
    reason: 'error message wording is not contract (its code store_closed is, and is checked)',
    kind: 'out-of-scope',
  },
  {
    file: STORE,
    mutator: 'BlockStatement',
    original: 'wrapped[name] = member;',
    reason: 'every member of every part is a method: no non-function member reaches this branch',
  },
  {
    file: STORE,
    mutator: 'ConditionalExpression',
    original: "typeof member !== 'function'",
    replacement: 'false',
    reason: 'every member of every part is a method, so each is wrapped either way',
  },
  {
    file: STORE,
    mutator: 'BlockStatement',
    original: 'return Promise.reject(error);',
    reason:
      'every method is async (a throw becomes its own rejection); only a batch method handed a non-array, which the types rule out, throws synchronously',
  },
  // state.ts.
  {
    file: STATE,
    mutator: 'ConditionalExpression',
    original: "typeof id !== 'string'",
    reason: `${FLAT_ID}; a non-string id is ruled out by generateId's type`,
  },
  {
    file: STATE,
    mutator: 'EqualityOperator',
    original: "typeof id !== 'string'",
    reason: `${FLAT_ID}; a non-string id is ruled out by generateId's type`,
  },
  {
    file: STATE,
    mutator: 'StringLiteral',
    original: "'string'",
    inLine: "if (typeof id !== 'string') return id;",
    reason: FLAT_ID,
  },
  {
    file: STATE,
    mutator: 'MethodExpression',
    original: 'id.toLowerCase()',
    reason: `${FLAT_ID}: an upper-cased copy is used only when it equals the id`,
  },
  {
    file: STATE,
    mutator: 'ConditionalExpression',
    original: 'lower === id',
    replacement: 'false',
    reason: FLAT_ID,
  },
  {
    file: STATE,
    mutator: 'ConditionalExpression',
    original: 'lower === id',
    replacement: 'true',
    reason: `${FACTORY_OPTION}: ids from a custom generateId are kept as generated (the default makes lower-case UUIDs)`,
    kind: 'out-of-scope',
  },
  {
    file: STATE,
    mutator: 'EqualityOperator',
    original: 'lower === id',
    reason: `${FACTORY_OPTION}: ids from a custom generateId are kept as generated (the default makes lower-case UUIDs)`,
    kind: 'out-of-scope',
  },
  {
    file: STATE,
    mutator: 'ConditionalExpression',
    original: "typeof expiresAt === 'number'",
    reason: 'a Date compared with <= is compared by its time, the same number getTime() gives',
  },
];
