import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The examples a plugin author copies to start from. Each must build and test outside this
 * repository: its own tsconfig and vitest config, and `@threadline/*` from the registry (here,
 * from the packed tarballs) rather than workspace links.
 */
export const STARTER_EXAMPLES = ['custom-adapter', 'custom-store'] as const;

type Manifest = Record<string, unknown> & {
  peerDependencies?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
};

/**
 * The example's manifest as a copy outside the repository needs it: every `workspace:` range of
 * an installable dependency points at the package's tarball, and every peer range becomes the
 * caret range pnpm publishes for `workspace:^` (`^<version>`).
 */
export function outsideManifest(
  manifest: Manifest,
  tarballs: ReadonlyMap<string, { path: string; version: string }>,
): Manifest {
  const pointed = (ranges: Record<string, string> | undefined, peer: boolean) => {
    if (ranges === undefined) return undefined;
    const out: Record<string, string> = {};
    for (const [name, range] of Object.entries(ranges)) {
      const tarball = tarballs.get(name);
      if (!range.startsWith('workspace:')) out[name] = range;
      else if (tarball === undefined) {
        throw new Error(`${name} is a workspace dependency but no tarball was packed for it`);
      } else out[name] = peer ? `^${tarball.version}` : `file:${tarball.path}`;
    }
    return out;
  };
  const copy: Manifest = { ...manifest };
  for (const [key, peer] of [
    ['peerDependencies', true],
    ['dependencies', false],
    ['devDependencies', false],
  ] as const) {
    const ranges = pointed(manifest[key], peer);
    if (ranges !== undefined) copy[key] = ranges;
  }
  return copy;
}

/**
 * Copies each starter example to `scratch`, points its `@threadline/*` dependencies at the packed
 * tarballs, installs with npm (as a plugin author would) and runs its `typecheck` and `test`
 * scripts there. Throws on the first failure, through `run`.
 */
export function checkStartersOutside(input: {
  root: string;
  scratch: string;
  tarballs: ReadonlyMap<string, { path: string; version: string }>;
  run: (command: string, args: string[], cwd: string) => string;
}): void {
  for (const example of STARTER_EXAMPLES) {
    const from = join(input.root, 'examples', example);
    const to = join(input.scratch, 'starters', example);
    cpSync(from, to, {
      recursive: true,
      filter: (source) => !source.split(/[\\/]/).includes('node_modules'),
    });
    const manifest = JSON.parse(readFileSync(join(from, 'package.json'), 'utf8')) as Manifest;
    writeFileSync(
      join(to, 'package.json'),
      `${JSON.stringify(outsideManifest(manifest, input.tarballs), null, 2)}\n`,
    );
    input.run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], to);
    input.run('npm', ['run', 'typecheck'], to);
    input.run('npm', ['test'], to);
    console.log(
      `starter examples/${example}: installs from the tarballs, type-checks and passes its tests outside the repo`,
    );
  }
}
