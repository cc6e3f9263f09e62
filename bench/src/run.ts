import { loadavg } from 'node:os';
import { type BenchRow, toMarkdown, writeResults } from './report';
import { b1 } from './scenarios/b1-webhooks';
import { b2 } from './scenarios/b2-send';
import { b3 } from './scenarios/b3-bulk';
import { b4 } from './scenarios/b4-store';
import { b5 } from './scenarios/b5-sockets';
import { b6 } from './scenarios/b6-sms';
import type { Scenario } from './scenarios/scenario';

/**
 * `pnpm bench` (quick, under two minutes) or `pnpm bench --full`; `--only=B4,B2` picks scenarios;
 * `--profile` runs the processes under test with `node --cpu-prof` (profiles in results/).
 * Prints a markdown table with a baseline beside each figure and writes it to results/latest.md.
 */
const scenarios: Scenario[] = [b1, b2, b3, b4, b5, b6];

const args = process.argv.slice(2);
const full = args.includes('--full');
const profile = args.includes('--profile');
const only = args
  .find((arg) => arg.startsWith('--only='))
  ?.slice('--only='.length)
  .toUpperCase()
  .split(',');
const startedAt = new Date();
const loadAtStart = loadavg()[0];
const rows: BenchRow[] = [];
const notes: string[] = [];
for (const scenario of scenarios) {
  if (only && !only.includes(scenario.id)) continue;
  console.error(`running ${scenario.id}: ${scenario.title}…`);
  const began = performance.now();
  rows.push(
    ...(await scenario.run({
      full,
      profile,
      log: (message) => console.error(message),
      note: (message) => notes.push(`${scenario.id}: ${message}`),
    })),
  );
  console.error(`${scenario.id} took ${((performance.now() - began) / 1000).toFixed(1)} s`);
}
const markdown = toMarkdown(rows, {
  mode: full ? 'full' : 'quick',
  startedAt,
  loadAtStart,
  notes,
});
console.log(markdown);
// results/latest.md is the table of a whole, unprofiled run: a partial or profiled run (slowed by
// the profiler) would overwrite it with figures nobody should compare against.
if (only || profile) console.error('partial or profiled run: results/latest.md left as it was');
else console.error(`written to ${writeResults(markdown)}`);
