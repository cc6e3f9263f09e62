/**
 * Keeps every published package's metadata complete and its `publishConfig` in step with its
 * `exports`. `pnpm packages:check` fails (CI runs it) when a package lacks a licence, repository
 * link or a published exports map free of the `@threadline/source` condition; `pnpm
 * packages:write` fixes what it can. Packages are the non-private ones under `packages/` and
 * `adapters/`, so a new adapter is covered the day it is added.
 */
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The project's public home: change it here and `pnpm packages:write` updates every package. */
const REPOSITORY = 'https://github.com/threadline-ai/threadline';
/** The condition that points tests and examples at `src/`; published packages ship only `dist/`. */
const SOURCE_CONDITION = '@threadline/source';
const BASE_KEYWORDS = ['threadline', 'ai-agents', 'chatbot', 'messaging'];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Manifest = { [key: string]: Json };

export interface PublishedPackage {
  dir: string;
  manifest: Manifest;
}

/** Every non-private package under `packages/` and `adapters/`. */
export function publishedPackages(root = process.cwd()): PublishedPackage[] {
  const found: PublishedPackage[] = [];
  for (const group of ['packages', 'adapters']) {
    for (const name of readdirSync(join(root, group)).sort()) {
      const file = join(root, group, name, 'package.json');
      if (!existsSync(file)) continue;
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
      if (manifest.private !== true) found.push({ dir: join(group, name), manifest });
    }
  }
  return found;
}

/** The exports map with the source condition removed at every depth. */
export function withoutSourceCondition(value: Json): Json {
  if (Array.isArray(value)) return value.map(withoutSourceCondition);
  if (value === null || typeof value !== 'object') return value;
  const out: { [key: string]: Json } = {};
  for (const [key, inner] of Object.entries(value)) {
    if (key !== SOURCE_CONDITION) out[key] = withoutSourceCondition(inner);
  }
  return out;
}

/** The manifest as it should be: metadata filled in, never overwriting a package's own words. */
function expected(pkg: PublishedPackage): Manifest {
  const m: Manifest = { ...pkg.manifest };
  m.license = 'MIT';
  m.author = m.author ?? 'The Threadline authors';
  m.homepage = `${REPOSITORY}/tree/main/${pkg.dir}#readme`;
  m.repository = { type: 'git', url: `git+${REPOSITORY}.git`, directory: pkg.dir };
  m.bugs = { url: `${REPOSITORY}/issues` };
  const own = Array.isArray(m.keywords) ? (m.keywords as string[]) : [];
  m.keywords = [...new Set([...BASE_KEYWORDS, ...own])];
  const files = Array.isArray(m.files) ? (m.files as string[]) : ['dist', 'README.md'];
  m.files = files.includes('LICENSE') ? files : [...files, 'LICENSE'];
  const publishConfig = (m.publishConfig ?? {}) as { [key: string]: Json };
  m.publishConfig = {
    ...publishConfig,
    access: 'public',
    provenance: true,
    exports: withoutSourceCondition(m.exports ?? null),
  };
  return m;
}

/** What is wrong with one package, in words a maintainer can act on. */
export function problems(pkg: PublishedPackage, root = process.cwd()): string[] {
  const want = expected(pkg);
  const found: string[] = [];
  for (const key of ['license', 'homepage', 'repository', 'bugs', 'files', 'publishConfig']) {
    if (JSON.stringify(pkg.manifest[key]) !== JSON.stringify(want[key])) {
      found.push(`${pkg.dir}/package.json: "${key}" is not as published packages need it`);
    }
  }
  const keywords = pkg.manifest.keywords;
  if (!Array.isArray(keywords) || keywords.length === 0) {
    found.push(`${pkg.dir}/package.json: "keywords" is missing`);
  }
  const engines = pkg.manifest.engines as { node?: string } | undefined;
  if (engines?.node === undefined) found.push(`${pkg.dir}/package.json: "engines.node" is missing`);
  const licence = join(root, pkg.dir, 'LICENSE');
  if (
    !existsSync(licence) ||
    readFileSync(licence, 'utf8') !== readFileSync(join(root, 'LICENSE'), 'utf8')
  ) {
    found.push(`${pkg.dir}/LICENSE is missing or differs from the root LICENSE`);
  }
  if (!existsSync(join(root, pkg.dir, 'README.md'))) found.push(`${pkg.dir}/README.md is missing`);
  return found;
}

function main(): void {
  const mode = process.argv[2];
  if (mode !== '--check' && mode !== '--write') {
    console.error('usage: tsx scripts/packages.ts --check | --write');
    process.exit(2);
  }
  const packages = publishedPackages();
  if (mode === '--write') {
    for (const pkg of packages) {
      writeFileSync(join(pkg.dir, 'package.json'), `${JSON.stringify(expected(pkg), null, 2)}\n`);
      copyFileSync('LICENSE', join(pkg.dir, 'LICENSE'));
    }
    console.log(`updated ${packages.length} packages`);
    return;
  }
  const found = packages.flatMap((pkg) => problems(pkg));
  if (found.length > 0) {
    console.error(`${found.join('\n')}\n\nrun \`pnpm packages:write\` to fix`);
    process.exit(1);
  }
  console.log(`${packages.length} packages have complete metadata`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
