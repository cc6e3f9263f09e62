/**
 * One mutant that survives the conformance suite on purpose, with the reason.
 *
 * The matcher is the file, the mutator and a snippet of the original code, so an entry keeps
 * matching when lines move. An entry matches every surviving mutant of that mutator whose original
 * code (whitespace collapsed) contains `original`, whose replacement contains `replacement` and
 * whose first source line contains `inLine`, when those are given.
 *
 * @example
 * ```ts
 * {
 *   file: 'packages/store-memory/src/copy.ts',
 *   mutator: 'ArrayDeclaration',
 *   original: '[...entry.parts]',
 *   reason: 'a defensive copy: the suite never mutates what it gets back, and must not',
 * }
 * ```
 */
export interface ExplainedMutant {
  /** Path from the repo root. */
  readonly file: string;
  /** Stryker's mutator name, e.g. `ConditionalExpression`, `StringLiteral`. */
  readonly mutator: string;
  /** A snippet of the original code the mutant replaces. */
  readonly original: string;
  /** A snippet of the replacement, to tell apart two mutants of the same code. */
  readonly replacement?: string;
  /** A snippet of the source line the mutant starts on, to tell apart equal code in two places. */
  readonly inLine?: string;
  /** Why no conformance test can or should observe it: one line. */
  readonly reason: string;
  /**
   * `equivalent` (the default): no behaviour changes, so no test could ever kill it.
   * `out-of-scope`: behaviour changes, but not behaviour the contract fixes (an error message's
   * wording, a body the provider never reads, a store's own factory options); it stays in the
   * score's denominator of the goal, which leaves out only equivalent mutants.
   */
  readonly kind?: 'equivalent' | 'out-of-scope';
}
