import { fileURLToPath } from 'node:url';
import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';
import { LoadFailureReporter } from './load-failure-reporter';
import { findMutationTarget, TARGET_ENV } from './targets';

// The same source conditions as the root vitest.config.ts: tests import workspace packages from
// source, so the mutated files are the ones the tests load.
const conditions = ['@threadline/source', ...defaultServerConditions];

// The repo root (or Stryker's sandbox copy of it), two levels above this file.
const root = fileURLToPath(new URL('../..', import.meta.url));
const target = findMutationTarget(process.env[TARGET_ENV]);

export default defineConfig({
  root,
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@threadline/source'] } },
  test: {
    // Only the target's conformance suite: the score is what that suite catches.
    include: [target.testFile],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // A file that fails to load must kill the mutant that broke it (see the reporter).
    reporters: [new LoadFailureReporter()],
  },
});
