import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

// ESM only: the suites call vitest, and vitest cannot be `require`d, so a CommonJS build could
// only ever throw on load.
export default defineConfig(packageBuild(['src/index.ts'], { format: ['esm'] }));
