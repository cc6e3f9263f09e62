import type { ExplainedMutant } from './explained';

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

/**
 * Mutants of @threadline/store-memory that survive `runStoreConformance` on purpose: each is
 * equivalent (no store behaviour changes) or out of the store contract's scope, with the reason.
 */
export const explained: readonly ExplainedMutant[] = [
  // copy.ts: the typed-array and ArrayBuffer branches.
  { file: COPY, mutator: 'ArrayDeclaration', original: 'Int8Array,', reason: NOT_JSON },
  {
    file: COPY,
    mutator: 'ArrowFunction',
    original: '(TypedArray) => [TypedArray.prototype, TypedArray]',
    reason: NOT_JSON,
  },
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
];
