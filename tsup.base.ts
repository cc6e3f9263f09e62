import type { Options } from 'tsup';

/**
 * The one build setting every published package shares: ESM + CJS + `.d.ts` for Node 20.
 * A package's `tsup.config.ts` passes its entry points (and any extra option).
 */
export function packageBuild(
  entry: Record<string, string> | string[],
  extra: Options = {},
): Options {
  return {
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node20',
    ...extra,
  };
}
