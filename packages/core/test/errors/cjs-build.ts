import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';

const packageRoot = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Builds the CJS bundle of this package the way `pnpm build` does (tsup, `format: cjs`) and
 * `require`s it: a second, independent copy of every class, as an app that loads both the ESM and
 * the CJS build gets. The output lives under the package so `zod` and `croner` resolve.
 */
export async function requireCjsBuild(): Promise<{
  core: typeof import('../../src/index');
  dispose: () => Promise<void>;
}> {
  const cacheDir = join(packageRoot, 'node_modules', '.cache');
  await mkdir(cacheDir, { recursive: true });
  const outDir = await mkdtemp(join(cacheDir, 'cjs-copy-'));
  await build({
    entry: { index: join(packageRoot, 'src/index.ts') },
    format: ['cjs'],
    outDir,
    dts: false,
    sourcemap: false,
    clean: false,
    silent: true,
    target: 'node20',
    external: ['zod', 'croner'],
    config: false,
  });
  const core = createRequire(join(packageRoot, 'package.json'))(join(outDir, 'index.cjs'));
  return { core, dispose: () => rm(outDir, { recursive: true, force: true }) };
}
