/**
 * What `pnpm mutation <target>` mutates and which conformance suite must kill the mutants.
 *
 * Each target runs under ONE test file, its conformance suite, because the score measures what the
 * conformance suite catches, not what a package's own unit tests catch.
 */
export interface MutationTarget {
  /** The name given on the command line. */
  readonly name: string;
  /** Globs of the files Stryker mutates, relative to the repo root. */
  readonly mutate: readonly string[];
  /** The only test file run, relative to the repo root. */
  readonly testFile: string;
  /** The module listing this target's equivalent and out-of-scope mutants. */
  readonly explainedModule: string;
}

export const mutationTargets = {
  'store-memory': {
    name: 'store-memory',
    // index.ts only re-exports: it has no behaviour for a mutant to change.
    mutate: ['packages/store-memory/src/**/*.ts', '!packages/store-memory/src/index.ts'],
    testFile: 'packages/store-memory/test/conformance.test.ts',
    explainedModule: './explained-store-memory/index.ts',
  },
  'custom-adapter': {
    name: 'custom-adapter',
    // The adapter's own files. Left out: index.ts (re-exports), app.ts and main.ts (the host app
    // around the adapter, which `runAdapterConformance` does not run) and fake-relay.ts (the
    // provider stand-in the suite talks to, a test double rather than adapter code).
    mutate: [
      'examples/custom-adapter/src/**/*.ts',
      '!examples/custom-adapter/src/index.ts',
      '!examples/custom-adapter/src/app.ts',
      '!examples/custom-adapter/src/main.ts',
      '!examples/custom-adapter/src/fake-relay.ts',
    ],
    testFile: 'examples/custom-adapter/test/conformance.test.ts',
    explainedModule: './explained-custom-adapter.ts',
  },
} as const satisfies Record<string, MutationTarget>;

export type MutationTargetName = keyof typeof mutationTargets;

/** The environment variable through which the vitest config learns the target's test file. */
export const TARGET_ENV = 'THREADLINE_MUTATION_TARGET';

/** Finds a target by name, or explains which names exist. */
export function findMutationTarget(name: string | undefined): MutationTarget {
  const names = Object.keys(mutationTargets);
  if (name === undefined || !(name in mutationTargets)) {
    throw new Error(`Unknown mutation target "${name ?? ''}". Choose one of: ${names.join(', ')}.`);
  }
  return mutationTargets[name as MutationTargetName];
}
