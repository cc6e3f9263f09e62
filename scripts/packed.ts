/**
 * Checks what users install, not what the workspace sees: packs every published package (after
 * `pnpm build`), lints each tarball with `publint --strict` and `attw` (every resolution
 * profile), installs the tarballs into a scratch project outside the workspace and runs there an
 * ESM import and a CommonJS require of every package, `tsc` under `node16` and `bundler`
 * resolution, and `.ci/consumer/webhook.mjs`; then copies the starter examples (custom adapter,
 * custom store) out of the repo onto the tarballs and runs their typecheck and tests there. Run
 * by `.ci/run`; alone: `pnpm packed`.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { publishedPackages } from './packages';
import { checkStartersOutside } from './packed-examples';

const root = process.cwd();

function esmOnly(manifest: Record<string, unknown>): boolean {
  return !JSON.stringify(manifest.exports ?? {}).includes('"require"');
}
const bin = (name: string) => join(root, 'node_modules', '.bin', name);

function run(command: string, args: string[], cwd = root): string {
  try {
    return execFileSync(command, args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    console.error(failed.stdout ?? '', failed.stderr ?? '');
    throw new Error(`failed: ${command} ${args.join(' ')} (in ${cwd})`);
  }
}

const packages = publishedPackages(root);
const scratch = mkdtempSync(join(tmpdir(), 'threadline-packed-'));
const tarballs = join(scratch, 'tarballs');
mkdirSync(tarballs);
/** Each package's tarball, for the starter examples' dependencies. */
const tarballOf = new Map<string, { path: string; version: string }>();

for (const pkg of packages) {
  const before = new Set(readdirSync(tarballs));
  run('pnpm', ['pack', '--pack-destination', tarballs], join(root, pkg.dir));
  const tarball = readdirSync(tarballs).find((file) => !before.has(file));
  if (tarball === undefined) throw new Error(`pnpm pack wrote nothing for ${pkg.dir}`);
  const path = join(tarballs, tarball);
  tarballOf.set(String(pkg.manifest.name), { path, version: String(pkg.manifest.version) });
  run(bin('publint'), ['run', path, '--strict']);
  // A package without a `require` condition is ESM-only on purpose (testkit: vitest cannot be
  // required); attw then checks the ESM resolutions only.
  const profile = esmOnly(pkg.manifest) ? ['--profile', 'esm-only'] : [];
  run(bin('attw'), [path, '--format', 'ascii', ...profile]);
  console.log(`packed ${tarball}: publint --strict and attw clean`);
}

const names = packages.map((pkg) => String(pkg.manifest.name));
const requirable = packages
  .filter((pkg) => !esmOnly(pkg.manifest))
  .map((pkg) => String(pkg.manifest.name));
const consumer = join(scratch, 'consumer');
mkdirSync(consumer);
copyFileSync(join(root, '.ci/consumer/webhook.mjs'), join(consumer, 'webhook.mjs'));
writeFileSync(
  join(consumer, 'package.json'),
  JSON.stringify({ name: 'threadline-consumer', private: true, type: 'module' }, null, 2),
);
const typescript = String(
  (
    JSON.parse(run('node', ['-p', 'JSON.stringify(require("typescript/package.json"))'])) as {
      version: string;
    }
  ).version,
);
run(
  'npm',
  [
    'install',
    '--no-audit',
    '--no-fund',
    '--loglevel=error',
    ...readdirSync(tarballs).map((file) => join(tarballs, file)),
    `typescript@${typescript}`,
    '@types/node@20',
  ],
  consumer,
);

// Every package loads both ways, with the same named exports.
writeFileSync(
  join(consumer, 'smoke.mjs'),
  `${names.map((name, i) => `import * as p${i} from '${name}';`).join('\n')}
const loaded = { ${names.map((name, i) => `'${name}': Object.keys(p${i}).sort()`).join(', ')} };
console.log(JSON.stringify(loaded));
`,
);
writeFileSync(
  join(consumer, 'smoke.cjs'),
  `const loaded = { ${requirable.map((name) => `'${name}': Object.keys(require('${name}')).filter((k) => k !== 'default' && k !== '__esModule').sort()`).join(', ')} };
console.log(JSON.stringify(loaded));
`,
);
const esm = JSON.parse(run('node', ['smoke.mjs'], consumer)) as Record<string, string[]>;
const cjs = JSON.parse(run('node', ['smoke.cjs'], consumer)) as Record<string, string[]>;
for (const name of names) {
  if ((esm[name] ?? []).length === 0) throw new Error(`${name}: the ESM import has no exports`);
  if (requirable.includes(name) && JSON.stringify(esm[name]) !== JSON.stringify(cjs[name])) {
    throw new Error(`${name}: ESM and CJS export different names`);
  }
}
console.log(
  `consumer: ${names.length} packages import as ESM; ${requirable.length} require as CJS with the same exports`,
);

// Types resolve under both modern resolutions (node10 is checked by attw above).
writeFileSync(
  join(consumer, 'types.ts'),
  `${names.map((name, i) => `import * as p${i} from '${name}';`).join('\n')}
export const all = [${names.map((_, i) => `p${i}`).join(', ')}];
`,
);
for (const [module, resolution] of [
  ['node16', 'node16'],
  ['esnext', 'bundler'],
]) {
  run(
    join(consumer, 'node_modules', '.bin', 'tsc'),
    [
      '--noEmit',
      '--strict',
      '--skipLibCheck',
      'false',
      '--types',
      'node',
      '--module',
      module as string,
      '--moduleResolution',
      resolution as string,
      '--target',
      'es2022',
      'types.ts',
    ],
    consumer,
  );
  console.log(`consumer: tsc --moduleResolution ${resolution} clean`);
}

console.log(run('node', ['webhook.mjs'], consumer).trim());

// The starter examples build and test as a plugin author's copy would, outside the workspace.
checkStartersOutside({ root, scratch, tarballs: tarballOf, run });
rmSync(scratch, { recursive: true, force: true });
console.log(`packed checks passed (${resolve(scratch)} removed)`);
