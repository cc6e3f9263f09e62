import { mkdirSync, writeFileSync } from 'node:fs';

/** One figure, beside the baseline measured in the same run. */
export interface BenchRow {
  scenario: string;
  figure: string;
  value: number;
  unit: string;
  baseline: string;
  baselineValue: number;
  /** `value / baselineValue`. */
  ratio: number;
  /** The goal in words, e.g. `p50 ≤ 2× baseline`. */
  goal: string;
  met: boolean;
}

/** Builds a row whose goal is "value ≤ `maxRatio` × baseline" (latencies, memory). */
export function atMost(row: Omit<BenchRow, 'ratio' | 'goal' | 'met'>, maxRatio: number): BenchRow {
  const ratio = row.value / row.baselineValue;
  return { ...row, ratio, goal: `≤ ${maxRatio}× baseline`, met: ratio <= maxRatio };
}

/** Builds a row whose goal is "value ≥ `minRatio` × baseline" (throughput). */
export function atLeast(row: Omit<BenchRow, 'ratio' | 'goal' | 'met'>, minRatio: number): BenchRow {
  const ratio = row.value / row.baselineValue;
  return {
    ...row,
    ratio,
    goal: `≥ ${Math.round(minRatio * 100)}% of baseline`,
    met: ratio >= minRatio,
  };
}

const format = (value: number) =>
  Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(3);

/** The results as a markdown table, with the machine and mode it ran on. */
export function toMarkdown(
  rows: readonly BenchRow[],
  context: { mode: string; startedAt: Date },
): string {
  const header = [
    `# Threadline benchmarks (${context.mode})`,
    '',
    `Run ${context.startedAt.toISOString()} on Node ${process.version}, ${process.platform}/${process.arch}. Each figure sits beside a baseline measured in the same run.`,
    '',
    '| # | figure | value | baseline | baseline value | ratio | goal | met |',
    '|---|---|---|---|---|---|---|---|',
  ];
  const lines = rows.map(
    (row) =>
      `| ${row.scenario} | ${row.figure} | ${format(row.value)} ${row.unit} | ${row.baseline} | ${format(row.baselineValue)} ${row.unit} | ${row.ratio.toFixed(2)} | ${row.goal} | ${row.met ? 'yes' : '**no**'} |`,
  );
  return [...header, ...lines, ''].join('\n');
}

/** Writes the table to bench/results/latest.md. */
export function writeResults(markdown: string): string {
  const directory = new URL('../results/', import.meta.url);
  mkdirSync(directory, { recursive: true });
  const target = new URL('latest.md', directory);
  writeFileSync(target, markdown);
  return target.pathname;
}
