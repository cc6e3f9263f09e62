import { defineConfig } from 'vitest/config';

// Stands alone, so `vitest run` works in a copy outside the repo. `@threadline/source` makes the
// repo's own copy test against the packages' source; elsewhere no package has that condition
// and the published `dist/` is used. The other three are vite's default server conditions.
const conditions = ['@threadline/source', 'module', 'node', 'development|production'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@threadline/source'] } },
  test: { include: ['test/**/*.test.ts'], testTimeout: 20_000, hookTimeout: 20_000 },
});
