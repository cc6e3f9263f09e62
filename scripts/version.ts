/**
 * `pnpm version-packages`: `changeset version`, keeping 0.x packages in 0.x.
 *
 * Adapters and stores declare `@threadline/core` as a peer with `workspace:^`, published as
 * `^0.N.0`: in 0.x a minor may break, so a caret range that stops before the next minor is the
 * only one a core release cannot silently break. Changesets (v2; v3 needs Node 22) treats any
 * peer leaving its range as a breaking change for the dependent and bumps it to 1.0.0. In 0.x the
 * breaking bump is a minor, so this script turns such a forced 0.x → 1.0.0 into the next minor,
 * heading and section of the generated CHANGELOG.md included. A package whose own changeset asks
 * for `major` keeps its 1.0.0.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { publishedPackages } from './packages';

/** Packages that a pending changeset explicitly releases as `major`. */
function explicitMajors(): Set<string> {
  const majors = new Set<string>();
  for (const file of readdirSync('.changeset')) {
    if (!file.endsWith('.md') || file === 'README.md') continue;
    const front = /^---\n([\s\S]*?)\n---/.exec(readFileSync(join('.changeset', file), 'utf8'));
    for (const line of front?.[1]?.split('\n') ?? []) {
      const match = /^["']?([^"':]+)["']?\s*:\s*major\s*$/.exec(line.trim());
      if (match?.[1] !== undefined) majors.add(match[1]);
    }
  }
  return majors;
}

const before = new Map(
  publishedPackages().map((pkg) => [pkg.dir, String(pkg.manifest.version ?? '0.0.0')]),
);
const majors = explicitMajors();
execFileSync('pnpm', ['exec', 'changeset', 'version'], { stdio: 'inherit' });

for (const pkg of publishedPackages()) {
  const name = String(pkg.manifest.name);
  const old = before.get(pkg.dir);
  const now = String(pkg.manifest.version);
  const zero = old === undefined ? null : /^0\.(\d+)\.\d+/.exec(old);
  if (zero?.[1] === undefined || now !== '1.0.0' || majors.has(name)) continue;
  const next = `0.${Number(zero[1]) + 1}.0`;
  const manifestPath = join(pkg.dir, 'package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { version: string };
  manifest.version = next;
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  const changelog = join(pkg.dir, 'CHANGELOG.md');
  if (existsSync(changelog)) {
    const text = readFileSync(changelog, 'utf8');
    const start = text.indexOf('## 1.0.0');
    const end = text.indexOf('\n## ', start + 1);
    const section = text.slice(start, end === -1 ? undefined : end);
    const fixed = section
      .replace('## 1.0.0', `## ${next}`)
      .replace('### Major Changes', '### Minor Changes');
    writeFileSync(changelog, text.replace(section, fixed));
  }
  console.log(
    `${name}: 1.0.0 → ${next} (a peer moved to a new 0.x minor; no changeset asked for major)`,
  );
}
