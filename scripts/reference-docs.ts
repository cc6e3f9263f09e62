import { writeFileSync } from 'node:fs';
import { REFERENCE_DOCS, ROOT, readDoc, renderReferences } from './reference/render';

/**
 * Regenerates the reference tables in the authoring guides from the core's TypeScript sources
 * (`pnpm docs:reference`). `--check` fails instead of writing, for CI; a test checks it too.
 */
const check = process.argv.includes('--check');
let stale = 0;
for (const path of REFERENCE_DOCS) {
  const current = readDoc(path);
  const next = renderReferences(current);
  if (next === current) continue;
  if (check) {
    console.error(`${path} is out of date: run \`pnpm docs:reference\``);
    stale += 1;
  } else {
    writeFileSync(new URL(path, ROOT), next);
    console.log(`wrote ${path}`);
  }
}
process.exitCode = stale > 0 ? 1 : 0;
