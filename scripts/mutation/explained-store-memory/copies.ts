import type { ExplainedMutant } from '../explained';

const COPY = 'packages/store-memory/src/copy.ts';

/** Store values are JSON plus Dates: no conformance test can pass a typed array or ArrayBuffer. */
const NOT_JSON =
  'typed arrays and ArrayBuffers are not JSON: no store value holds one, and structuredClone (the fallback) copies them alike';
/** The fast path and structuredClone copy JSON values and Dates to equal results. */
const SAME_AS_FALLBACK =
  'the value then takes the structuredClone fallback, which copies JSON values and Dates to an equal result (only slower)';
/** JSON has no holes; only a sparse array reaches the hole branch. */
const HOLES =
  'only a sparse array takes this branch; store values are JSON, which has no holes, so present items are copied either way';

const PAYLOADS = 'packages/store-memory/src/payloads.ts';

/** Sharing equal payloads is a memory saving the caller cannot see (see payloads.ts). */
const SHARES_LESS =
  'the comparison then answers "different" more often (or compares deeper), so equal payloads get their own copies: memory only; a wrong "equal" is what the delivery payloads rule catches';
const FREEZE =
  'freezing only makes a future write inside the store fail loudly; nothing writes to a stored payload and every read copies it out';
const FORGET =
  'forgetting only lets an erased payload be garbage-collected sooner; the pool keeps at most four, and no read can see them';
const NOT_JSON_PAYLOAD =
  'only a non-JSON value (undefined in an array, a class instance) takes this branch; payloads are JSON objects';

/**
 * Mutants of store-memory's copy.ts and payloads.ts that survive `runStoreConformance` on purpose: each is
 * equivalent (no store behaviour changes) or out of the store contract's scope, with the reason.
 */
export const explainedCopies: readonly ExplainedMutant[] = [
  // copy.ts: the typed-array and ArrayBuffer branches.
  { file: COPY, mutator: 'ArrayDeclaration', original: 'Int8Array,', reason: NOT_JSON },
  {
    file: COPY,
    mutator: 'ArrayDeclaration',
    original: '[TypedArray.prototype, TypedArray]',
    reason: NOT_JSON,
  },
  {
    file: COPY,
    mutator: 'BlockStatement',
    original: 'value instanceof ArrayBuffer',
    reason: NOT_JSON,
  },
  {
    file: COPY,
    mutator: 'ConditionalExpression',
    original: 'value instanceof ArrayBuffer',
    reason: NOT_JSON,
  },
  {
    file: COPY,
    mutator: 'LogicalOperator',
    original: 'value instanceof ArrayBuffer',
    reason: NOT_JSON,
  },
  { file: COPY, mutator: 'BooleanLiteral', original: '.resizable', reason: NOT_JSON },
  {
    file: COPY,
    mutator: 'ConditionalExpression',
    original: 'value.byteLength > 0',
    reason: NOT_JSON,
  },
  { file: COPY, mutator: 'EqualityOperator', original: 'value.byteLength > 0', reason: NOT_JSON },
  {
    file: COPY,
    mutator: 'ConditionalExpression',
    original: 'typedArray !== undefined',
    reason: NOT_JSON,
  },
  {
    file: COPY,
    mutator: 'EqualityOperator',
    original: 'typedArray !== undefined',
    reason: NOT_JSON,
  },
  {
    file: COPY,
    mutator: 'BlockStatement',
    original: 'const view = value as Uint8Array',
    reason: NOT_JSON,
  },
  {
    file: COPY,
    mutator: 'ConditionalExpression',
    original: 'isPlainBuffer(view.buffer)',
    reason: NOT_JSON,
  },
  {
    file: COPY,
    mutator: 'BlockStatement',
    original: 'new typedArray(view.buffer.slice(0)',
    reason: NOT_JSON,
  },
  { file: COPY, mutator: 'MethodExpression', original: 'view.buffer.slice(0)', reason: NOT_JSON },
  {
    file: COPY,
    mutator: 'ConditionalExpression',
    original: 'proto === ArrayBuffer.prototype',
    reason: NOT_JSON,
  },
  {
    file: COPY,
    mutator: 'LogicalOperator',
    original: 'proto === ArrayBuffer.prototype',
    reason: NOT_JSON,
  },
  {
    file: COPY,
    mutator: 'EqualityOperator',
    original: 'proto === ArrayBuffer.prototype',
    reason: NOT_JSON,
  },
  { file: COPY, mutator: 'BlockStatement', original: 'return value.slice(0);', reason: NOT_JSON },
  { file: COPY, mutator: 'MethodExpression', original: 'value.slice(0)', reason: NOT_JSON },
  // copy.ts: functions and symbols are not JSON either; structuredClone refuses them.
  {
    file: COPY,
    mutator: 'ConditionalExpression',
    original: "typeof value === 'function'",
    reason: 'functions and symbols are not JSON: no store value holds one',
  },
  {
    file: COPY,
    mutator: 'LogicalOperator',
    original: "typeof value === 'function' || typeof value === 'symbol'",
    reason: 'functions and symbols are not JSON: no store value holds one',
  },
  {
    file: COPY,
    mutator: 'EqualityOperator',
    original: "typeof value === 'function'",
    reason: 'functions and symbols are not JSON: no store value holds one',
  },
  {
    file: COPY,
    mutator: 'ConditionalExpression',
    original: "typeof value === 'symbol'",
    reason: 'functions and symbols are not JSON: no store value holds one',
  },
  {
    file: COPY,
    mutator: 'EqualityOperator',
    original: "typeof value === 'symbol'",
    reason: 'functions and symbols are not JSON: no store value holds one',
  },
  {
    file: COPY,
    mutator: 'StringLiteral',
    original: "'function'",
    reason: 'functions and symbols are not JSON: no store value holds one',
  },
  {
    file: COPY,
    mutator: 'StringLiteral',
    original: "'symbol'",
    reason: 'functions and symbols are not JSON: no store value holds one',
  },
  // copy.ts: branches whose removal sends the value to the structuredClone fallback.
  {
    file: COPY,
    mutator: 'ConditionalExpression',
    original: "typeof value !== 'object'",
    inLine: "if (typeof value !== 'object' || value === null) {",
    reason: SAME_AS_FALLBACK,
  },
  {
    file: COPY,
    mutator: 'ConditionalExpression',
    original: 'Array.isArray(value)',
    inLine: 'return copyArray(value, depth + 1)',
    reason: SAME_AS_FALLBACK,
  },
  {
    file: COPY,
    mutator: 'ConditionalExpression',
    original: 'proto === Object.prototype || proto === null',
    inLine: 'if (proto === Object.prototype || proto === null) {',
    reason: SAME_AS_FALLBACK,
  },
  {
    file: COPY,
    mutator: 'LogicalOperator',
    original: 'proto === Object.prototype || proto === null',
    inLine: 'if (proto === Object.prototype || proto === null) {',
    reason: SAME_AS_FALLBACK,
  },
  {
    file: COPY,
    mutator: 'ConditionalExpression',
    original: 'proto === Object.prototype',
    inLine: 'if (proto === Object.prototype || proto === null) {',
    reason: SAME_AS_FALLBACK,
  },
  {
    file: COPY,
    mutator: 'ConditionalExpression',
    original: 'proto === null',
    inLine: 'if (proto === Object.prototype || proto === null) {',
    reason: SAME_AS_FALLBACK,
  },
  {
    file: COPY,
    mutator: 'BlockStatement',
    original: 'return copyObject(value as Record<string, unknown>, depth + 1);',
    reason: SAME_AS_FALLBACK,
  },
  {
    file: COPY,
    mutator: 'ConditionalExpression',
    original: 'proto === Date.prototype',
    reason: `${SAME_AS_FALLBACK}; made always true, only Dates still reach it in store data`,
  },
  {
    file: COPY,
    mutator: 'EqualityOperator',
    original: 'proto === Date.prototype',
    reason: SAME_AS_FALLBACK,
  },
  // copy.ts: the depth at which the fast path hands over to copyDeep.
  {
    file: COPY,
    mutator: 'EqualityOperator',
    original: 'depth >= MAX_DEPTH',
    reason: 'one level more or less before the hand-over to copyDeep, which copies alike',
  },
  {
    file: COPY,
    mutator: 'ConditionalExpression',
    original: 'depth >= MAX_DEPTH',
    reason:
      'without the hand-over, recursion copies alike until the stack ends (thousands of levels, not JSON a store keeps)',
  },
  {
    file: COPY,
    mutator: 'ArithmeticOperator',
    original: 'depth + 1',
    reason: 'only moves the depth of the hand-over to copyDeep, which copies alike',
  },
  // copy.ts: holes.
  {
    file: COPY,
    mutator: 'LogicalOperator',
    original: 'item === undefined && !(index in value)',
    reason: HOLES,
  },
  { file: COPY, mutator: 'ConditionalExpression', original: 'item === undefined', reason: HOLES },
  { file: COPY, mutator: 'EqualityOperator', original: 'item === undefined', reason: HOLES },
  { file: COPY, mutator: 'BooleanLiteral', original: '!(index in value)', reason: HOLES },
  { file: COPY, mutator: 'AssignmentOperator', original: 'out.length += 1', reason: HOLES },
  { file: COPY, mutator: 'BooleanLiteral', original: '!(index in from)', reason: HOLES },
  { file: COPY, mutator: 'ArithmeticOperator', original: 'index + 1', reason: HOLES },
  {
    file: COPY,
    mutator: 'ConditionalExpression',
    original: 'from[index] === undefined',
    reason: HOLES,
  },
  {
    file: COPY,
    mutator: 'LogicalOperator',
    original: 'from[index] === undefined && !(index in from)',
    reason: HOLES,
  },
  { file: COPY, mutator: 'EqualityOperator', original: 'from[index] === undefined', reason: HOLES },
  // copy.ts: copyDeep, the slow path of values nested deeper than MAX_DEPTH.
  {
    file: COPY,
    mutator: 'ConditionalExpression',
    original: "key === '__proto__'",
    reason:
      'defining any key with a writable, enumerable, configurable descriptor is what assigning it does',
  },
  {
    file: COPY,
    mutator: 'ConditionalExpression',
    original: "typeof value !== 'object'",
    inLine: "if (typeof value !== 'object' || value === null) return copyValue(value, 0);",
    reason:
      'null is still caught; any other primitive then takes the same leaf copy after a needless map lookup (JSON has no undefined)',
  },
  {
    file: COPY,
    mutator: 'ConditionalExpression',
    original: 'copied.has(value)',
    reason:
      'only an object reached twice (or a cycle) takes it; JSON values have neither, and a repeat copied twice is still equal',
  },
  {
    file: COPY,
    mutator: 'ConditionalExpression',
    original: 'proto === null',
    replacement: 'false',
    inLine: 'const plain =',
    reason:
      'only an object without a prototype takes it (JSON.parse never makes one); structuredClone copies it to an equal object',
  },
  {
    file: COPY,
    mutator: 'ConditionalExpression',
    original: 'plain',
    inLine: 'if (plain) work.push',
    reason:
      'the non-plain values of store records are Dates, which have no own keys: walking one sets nothing',
  },
  {
    file: COPY,
    mutator: 'ConditionalExpression',
    original: 'Array.isArray(from)',
    reason:
      'an array walked by its keys instead gets the same items at the same indexes; only holes differ, and JSON has none',
  },
  {
    file: COPY,
    mutator: 'ConditionalExpression',
    original: 'error === TOO_DEEP',
    reason:
      'the only other errors come from a function or symbol (not JSON), which copyDeep throws again from its leaf copy',
  },
  // payloads.ts: sharing equal payloads among bulk deliveries.
  {
    file: PAYLOADS,
    mutator: 'BlockStatement',
    original: "if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null)",
    reason: SHARES_LESS,
  },
  {
    file: PAYLOADS,
    mutator: 'ConditionalExpression',
    original: "typeof a !== 'object'",
    reason: SHARES_LESS,
  },
  {
    file: PAYLOADS,
    mutator: 'LogicalOperator',
    original: "typeof a !== 'object'",
    reason: SHARES_LESS,
  },
  {
    file: PAYLOADS,
    mutator: 'EqualityOperator',
    original: "typeof a !== 'object'",
    reason: SHARES_LESS,
  },
  {
    file: PAYLOADS,
    mutator: 'StringLiteral',
    original: "'object'",
    reason: SHARES_LESS,
    inLine: "typeof a !== 'object'",
  },
  { file: PAYLOADS, mutator: 'ConditionalExpression', original: 'a === null', reason: SHARES_LESS },
  { file: PAYLOADS, mutator: 'EqualityOperator', original: 'a === null', reason: SHARES_LESS },
  {
    file: PAYLOADS,
    mutator: 'ConditionalExpression',
    original: "typeof b !== 'object'",
    reason: SHARES_LESS,
  },
  {
    file: PAYLOADS,
    mutator: 'EqualityOperator',
    original: "typeof b !== 'object'",
    reason: SHARES_LESS,
  },
  { file: PAYLOADS, mutator: 'EqualityOperator', original: 'b === null', reason: SHARES_LESS },
  {
    file: PAYLOADS,
    mutator: 'BlockStatement',
    original: 'return Object.is(a, b);',
    reason: SHARES_LESS,
  },
  {
    file: PAYLOADS,
    mutator: 'ConditionalExpression',
    original: 'depth >= MAX_COMPARE_DEPTH',
    reason: SHARES_LESS,
  },
  {
    file: PAYLOADS,
    mutator: 'EqualityOperator',
    original: 'depth >= MAX_COMPARE_DEPTH',
    reason: SHARES_LESS,
  },
  {
    file: PAYLOADS,
    mutator: 'BooleanLiteral',
    original: 'false',
    reason: SHARES_LESS,
    inLine: 'if (depth >= MAX_COMPARE_DEPTH) return false;',
  },
  {
    file: PAYLOADS,
    mutator: 'ConditionalExpression',
    original: 'Array.isArray(a)',
    reason: SHARES_LESS,
  },
  {
    file: PAYLOADS,
    mutator: 'BlockStatement',
    original: 'if (!Array.isArray(b) || a.length !== b.length) return false;',
    reason: SHARES_LESS,
  },
  {
    file: PAYLOADS,
    mutator: 'ConditionalExpression',
    original: '!Array.isArray(b) || a.length !== b.length',
    reason: SHARES_LESS,
  },
  { file: PAYLOADS, mutator: 'BooleanLiteral', original: '!Array.isArray(b)', reason: SHARES_LESS },
  {
    file: PAYLOADS,
    mutator: 'EqualityOperator',
    original: 'index < a.length',
    reason: SHARES_LESS,
  },
  {
    file: PAYLOADS,
    mutator: 'AssignmentOperator',
    original: 'index += 1',
    reason: SHARES_LESS,
    inLine: 'index < a.length',
  },
  {
    file: PAYLOADS,
    mutator: 'ConditionalExpression',
    original: 'a[index] === undefined || !sameJson(a[index], b[index], depth + 1)',
    reason: SHARES_LESS,
  },
  {
    file: PAYLOADS,
    mutator: 'ConditionalExpression',
    original: 'a[index] === undefined',
    reason: NOT_JSON_PAYLOAD,
  },
  {
    file: PAYLOADS,
    mutator: 'EqualityOperator',
    original: 'a[index] === undefined',
    reason: NOT_JSON_PAYLOAD,
  },
  { file: PAYLOADS, mutator: 'ArithmeticOperator', original: 'depth + 1', reason: SHARES_LESS },
  {
    file: PAYLOADS,
    mutator: 'BooleanLiteral',
    original: 'true',
    reason: SHARES_LESS,
    inLine: 'return true;',
  },
  {
    file: PAYLOADS,
    mutator: 'ConditionalExpression',
    original: 'Array.isArray(b) || !isPlainObject(a)',
    reason: SHARES_LESS,
  },
  {
    file: PAYLOADS,
    mutator: 'LogicalOperator',
    original: 'Array.isArray(b) || !isPlainObject(a)',
    reason: SHARES_LESS,
  },
  { file: PAYLOADS, mutator: 'BooleanLiteral', original: '!isPlainObject(a)', reason: SHARES_LESS },
  { file: PAYLOADS, mutator: 'BooleanLiteral', original: '!isPlainObject(b)', reason: SHARES_LESS },
  {
    file: PAYLOADS,
    mutator: 'ConditionalExpression',
    original: 'aKeys.length !== bKeys.length',
    reason: SHARES_LESS,
  },
  {
    file: PAYLOADS,
    mutator: 'EqualityOperator',
    original: 'aKeys.length !== bKeys.length',
    reason: SHARES_LESS,
  },
  {
    file: PAYLOADS,
    mutator: 'EqualityOperator',
    original: 'index < aKeys.length',
    reason: SHARES_LESS,
  },
  {
    file: PAYLOADS,
    mutator: 'ConditionalExpression',
    original: 'key !== bKeys[index]',
    reason: SHARES_LESS,
  },
  {
    file: PAYLOADS,
    mutator: 'EqualityOperator',
    original: 'key !== bKeys[index]',
    reason: SHARES_LESS,
  },
  {
    file: PAYLOADS,
    mutator: 'BlockStatement',
    original: 'const proto = Object.getPrototypeOf(value);',
    reason: NOT_JSON_PAYLOAD,
  },
  {
    file: PAYLOADS,
    mutator: 'ConditionalExpression',
    original: 'proto === Object.prototype',
    reason: NOT_JSON_PAYLOAD,
  },
  {
    file: PAYLOADS,
    mutator: 'LogicalOperator',
    original: 'proto === Object.prototype || proto === null',
    reason: NOT_JSON_PAYLOAD,
  },
  {
    file: PAYLOADS,
    mutator: 'EqualityOperator',
    original: 'proto === Object.prototype',
    reason: NOT_JSON_PAYLOAD,
  },
  {
    file: PAYLOADS,
    mutator: 'ConditionalExpression',
    original: 'proto === null',
    reason: NOT_JSON_PAYLOAD,
  },
  {
    file: PAYLOADS,
    mutator: 'EqualityOperator',
    original: 'proto === null',
    reason: NOT_JSON_PAYLOAD,
  },
  { file: PAYLOADS, mutator: 'BlockStatement', original: 'Object.freeze(value);', reason: FREEZE },
  {
    file: PAYLOADS,
    mutator: 'ConditionalExpression',
    original: "typeof value !== 'object'",
    reason: FREEZE,
  },
  {
    file: PAYLOADS,
    mutator: 'LogicalOperator',
    original: "typeof value !== 'object'",
    reason: FREEZE,
  },
  {
    file: PAYLOADS,
    mutator: 'EqualityOperator',
    original: "typeof value !== 'object'",
    reason: FREEZE,
  },
  {
    file: PAYLOADS,
    mutator: 'StringLiteral',
    original: "'object'",
    reason: FREEZE,
    inLine: 'Object.isFrozen(value)',
  },
  { file: PAYLOADS, mutator: 'ConditionalExpression', original: 'value === null', reason: FREEZE },
  { file: PAYLOADS, mutator: 'EqualityOperator', original: 'value === null', reason: FREEZE },
  {
    file: PAYLOADS,
    mutator: 'ArrayDeclaration',
    original: '[]',
    reason: SHARES_LESS,
    inLine: 'readonly #recent',
  },
  {
    file: PAYLOADS,
    mutator: 'BlockStatement',
    original: 'if (recent !== undefined && sameJson(input, recent, 0))',
    reason: SHARES_LESS,
  },
  {
    file: PAYLOADS,
    mutator: 'ConditionalExpression',
    original: 'recent !== undefined',
    reason: SHARES_LESS,
  },
  {
    file: PAYLOADS,
    mutator: 'EqualityOperator',
    original: 'recent !== undefined',
    reason: SHARES_LESS,
  },
  {
    file: PAYLOADS,
    mutator: 'BlockStatement',
    original: 'deepFreeze(recent); return recent;',
    reason: SHARES_LESS,
  },
  {
    file: PAYLOADS,
    mutator: 'ArithmeticOperator',
    original: 'this.#next + 1',
    reason: SHARES_LESS,
  },
  {
    file: PAYLOADS,
    mutator: 'BlockStatement',
    original: 'const index = this.#recent.indexOf(payload);',
    reason: FORGET,
  },
  { file: PAYLOADS, mutator: 'ConditionalExpression', original: 'index !== -1', reason: FORGET },
  { file: PAYLOADS, mutator: 'EqualityOperator', original: 'index !== -1', reason: FORGET },
  {
    file: PAYLOADS,
    mutator: 'UnaryOperator',
    original: '-1',
    reason: FORGET,
    inLine: 'if (index !== -1)',
  },
];
