import { toMarkdown, writeResults } from './report';
import { b4 } from './scenarios/b4-store';
import type { Scenario } from './scenarios/scenario';

/**
 * `pnpm bench` (quick, under two minutes) or `pnpm bench --full`; `--only=B4,B2` picks scenarios.
 * Prints a markdown table with a baseline beside each figure and writes it to results/latest.md.
 */
const scenarios: Scenario[] = [b4];

const args = process.argv.slice(2);
const full = args.includes('--full');
const only = args
  .find((arg) => arg.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const startedAt = new Date();
const rows = [];
for (const scenario of scenarios) {
  if (only && !only.includes(scenario.id)) continue;
  console.error(`running ${scenario.id}: ${scenario.title}…`);
  rows.push(...(await scenario.run({ full, log: (message) => console.error(message) })));
}
const markdown = toMarkdown(rows, { mode: full ? 'full' : 'quick', startedAt });
console.log(markdown);
console.error(`written to ${writeResults(markdown)}`);
