/**
 * `pnpm mutation <target> [--incremental] [--only=<file>[:<lines>]]…`: mutation-tests one target
 * under its conformance suite with StrykerJS, prints the score and every survivor, and exits 1 when
 * a survivor is not in the target's explained list, when an explained entry is stale, or when the
 * suite did not run.
 *
 * `--only` mutates just the given files of the target (Stryker's `file:start-end` line ranges work),
 * for checking a new rule or explanation in minutes; its report goes to
 * reports/mutation/<target>-only/, and only the explained entries of those files are judged. Its
 * score covers those files only: record scores from a full run. With a line range, the file's
 * explanations outside the range show as stale: expected there.
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
const only = flags.filter((flag) => flag.startsWith('--only=')).map((flag) => flag.slice(7));
const unknown = flags.filter((flag) => flag !== '--incremental' && !flag.startsWith('--only='));
if (unknown.length > 0) {
  console.error(`Unknown option(s) ${unknown.join(' ')}: use --incremental or --only=<file>.`);
  process.exit(1);
}
const reportDir = `reports/mutation/${target.name}${only.length > 0 ? '-only' : ''}`;
const require = createRequire(import.meta.url);

process.chdir(root);
process.env[TARGET_ENV] = target.name;
const started = Date.now();

try {
  await new Stryker({
    mutate: only.length > 0 ? only : [...target.mutate],
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
// A partial run judges only the explanations of the files it mutated.
const judged =
  only.length > 0 ? explained.filter((entry) => entry.file in report.files) : explained;
const verdict = judgeMutationReport(report, judged);
const minutes = ((Date.now() - started) / 60_000).toFixed(1);

const show = (s: Survivor): string =>
  `  ${s.file}:${s.line} ${s.mutator} (${s.status})\n    - ${s.original.replace(/\s+/g, ' ').slice(0, 160)}\n    + ${s.replacement.replace(/\s+/g, ' ').slice(0, 160)}`;

const scope = only.length > 0 ? ` (only ${only.join(', ')})` : '';
console.log(
  `\nMutation testing of ${target.name}${scope} under ${target.testFile} (${minutes} min)`,
);
console.log(
  `  mutants ${verdict.mutants} (ignored ${verdict.ignored}, invalid ${verdict.invalid}), ` +
    `tests ${verdict.tests}, killed ${verdict.killed}, timed out ${verdict.timedOut}, ` +
    `survived ${verdict.survived}, no coverage ${verdict.noCoverage}, explained ${verdict.explained.length}`,
);
console.log(
  `  score ${verdict.score} %, without equivalent ${verdict.scoreWithoutEquivalents} %, ` +
    `without explained ${verdict.scoreWithoutExplained} %` +
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
