import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// The fault suite is not part of `pnpm test` (the root config only includes packages, adapters
// and examples): it takes minutes and stops databases. `pnpm fault` runs it, and `.ci/run` too.
const conditions = ['@threadline/source', ...defaultServerConditions];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@threadline/source'] } },
  test: {
    include: ['scenarios/**/*.fault.ts'],
    globalSetup: ['src/global-setup.ts'],
    // One scenario at a time: they measure timing and share the private PostgreSQL.
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 60_000,
  },
});
