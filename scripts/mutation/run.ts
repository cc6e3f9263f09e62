/**
 * `pnpm mutation <target> [--incremental]`: mutation-tests one target under its conformance suite
 * with StrykerJS, prints the score and every survivor, and exits 1 when a survivor is not in the
 * target's explained list, when an explained entry is stale, or when the suite did not run.
 *
 * `--incremental` reuses the previous run's results for unchanged code (reports/mutation/<target>/
 * incremental.json). Stryker judges "unchanged tests" by the conformance test file, which does not
 * change when a testkit rule does, so record scores from a full run.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Stryker } from '@stryker-mutator/core';
import type { ExplainedMutant } from './explained';
import { judgeMutationReport, type MutationReport, type Survivor } from './gate';
import { findMutationTarget, TARGET_ENV } from './targets';

const root = fileURLToPath(new URL('../..', import.meta.url));
const [targetName, ...flags] = process.argv.slice(2);
const target = findMutationTarget(targetName);
const incremental = flags.includes('--incremental');
const reportDir = `reports/mutation/${target.name}`;
const require = createRequire(import.meta.url);

process.chdir(root);
process.env[TARGET_ENV] = target.name;
const started = Date.now();

try {
  await new Stryker({
    mutate: [...target.mutate],
    testRunner: 'vitest',
    // pnpm does not hoist the runner next to @stryker-mutator/core, so name it by path.
    plugins: [require.resolve('@stryker-mutator/vitest-runner')],
    vitest: { configFile: 'scripts/mutation/vitest.config.ts', related: false },
    coverageAnalysis: 'perTest',
    // Two cores are shared with other work; more workers only thrash.
    concurrency: 2,
    reporters: ['json', 'html', 'progress'],
    jsonReporter: { fileName: `${reportDir}/mutation.json` },
    htmlReporter: { fileName: `${reportDir}/mutation.html` },
    incremental,
    incrementalFile: `${reportDir}/incremental.json`,
    tempDirName: '.stryker-tmp',
    cleanTempDir: 'always',
    // Only what the two targets' suites load is copied into the sandbox.
    ignorePatterns: ['/bench', '/fault', '/docs', '/adapters', '/.changeset', '/coverage'],
  }).runMutationTest();
} catch (error) {
  console.error(`Stryker failed for ${target.name}:`, error);
  process.exit(1);
}

const report = JSON.parse(await readFile(`${reportDir}/mutation.json`, 'utf8')) as MutationReport;
const { explained } = (await import(new URL(target.explainedModule, import.meta.url).href)) as {
  explained: readonly ExplainedMutant[];
};
const verdict = judgeMutationReport(report, explained);
const minutes = ((Date.now() - started) / 60_000).toFixed(1);

const show = (s: Survivor): string =>
  `  ${s.file}:${s.line} ${s.mutator} (${s.status})\n    - ${s.original.replace(/\s+/g, ' ').slice(0, 160)}\n    + ${s.replacement.replace(/\s+/g, ' ').slice(0, 160)}`;

console.log(`\nMutation testing of ${target.name} under ${target.testFile} (${minutes} min)`);
console.log(
  `  mutants ${verdict.mutants} (ignored ${verdict.ignored}, invalid ${verdict.invalid}), ` +
    `tests ${verdict.tests}, killed ${verdict.killed}, timed out ${verdict.timedOut}, ` +
    `survived ${verdict.survived}, no coverage ${verdict.noCoverage}, explained ${verdict.explained.length}`,
);
console.log(
  `  score ${verdict.score} %, without explained ${verdict.scoreWithoutExplained} %` +
    `  (report: ${reportDir}/mutation.html)`,
);
if (verdict.unexplained.length > 0) {
  console.log('\nSurvivors not in the explained list:');
  for (const survivor of verdict.unexplained) console.log(show(survivor));
}
if (verdict.stale.length > 0) {
  console.log('\nExplained entries that match no survivor:');
  for (const entry of verdict.stale) {
    console.log(`  ${entry.file} ${entry.mutator} "${entry.original}"`);
  }
}
for (const failure of verdict.failures) console.error(`FAIL: ${failure}`);
process.exit(verdict.failures.length === 0 ? 0 : 1);
