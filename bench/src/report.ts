import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';

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
  /** `null`: a figure reported for context, with no goal of its own. */
  met: boolean | null;
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

/**
 * Builds a row whose goal is "within ± `tolerance` of the baseline" (a paced rate against the
 * configured one): `tolerance` 0.02 means the ratio lies in 0.98…1.02.
 */
export function near(row: Omit<BenchRow, 'ratio' | 'goal' | 'met'>, tolerance: number): BenchRow {
  const ratio = row.value / row.baselineValue;
  return {
    ...row,
    ratio,
    goal: `within ±${Math.round(tolerance * 100)}% of baseline`,
    met: Math.abs(ratio - 1) <= tolerance,
  };
}

/**
 * Builds a row whose goal is an absolute limit on the value (`value < limit`, in the row's unit),
 * with the baseline beside it for scale (memory per socket beside a bare server's, RSS growth).
 */
export function below(row: Omit<BenchRow, 'ratio' | 'goal' | 'met'>, limit: number): BenchRow {
  return {
    ...row,
    ratio: row.value / row.baselineValue,
    goal: `< ${limit} ${row.unit}`,
    met: row.value < limit,
  };
}

/** Builds a row reported beside its baseline for context, with no goal (latencies the issue asks to report). */
export function reported(row: Omit<BenchRow, 'ratio' | 'goal' | 'met'>): BenchRow {
  return { ...row, ratio: row.value / row.baselineValue, goal: 'reported', met: null };
}

const format = (value: number) =>
  Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(3);

/** Ratios keep three significant digits: a 2% tolerance must be readable off the table. */
const formatRatio = (ratio: number) => (ratio >= 100 ? ratio.toFixed(0) : ratio.toPrecision(3));

/** The results as a markdown table, with the machine, mode and load it ran on, and the notes. */
export function toMarkdown(
  rows: readonly BenchRow[],
  context: { mode: string; startedAt: Date; loadAtStart?: number; notes?: readonly string[] },
): string {
  // Other work on the machine moves every figure; the 1-minute load says how busy it was.
  const load = [context.loadAtStart, loadavg()[0]]
    .filter((value): value is number => value !== undefined)
    .map((value) => value.toFixed(2))
    .join(' → ');
  const header = [
    `# Threadline benchmarks (${context.mode})`,
    '',
    `Run ${context.startedAt.toISOString()} on Node ${process.version}, ${process.platform}/${process.arch}, ${availableParallelism()} cores, 1-minute load ${load}. Each figure sits beside a baseline measured in the same run.`,
    '',
    '| # | figure | value | baseline | baseline value | ratio | goal | met |',
    '|---|---|---|---|---|---|---|---|',
  ];
  const lines = rows.map(
    (row) =>
      `| ${row.scenario} | ${row.figure} | ${format(row.value)} ${row.unit} | ${row.baseline} | ${format(row.baselineValue)} ${row.unit} | ${formatRatio(row.ratio)} | ${row.goal} | ${row.met === null ? '—' : row.met ? 'yes' : '**no**'} |`,
  );
  const notes = (context.notes ?? []).map((note) => `- ${note}`);
  return [...header, ...lines, ...(notes.length > 0 ? ['', ...notes] : []), ''].join('\n');
}

/** Writes the table to bench/results/latest.md. */
export function writeResults(markdown: string): string {
  const directory = new URL('../results/', import.meta.url);
  mkdirSync(directory, { recursive: true });
  const target = new URL('latest.md', directory);
  writeFileSync(target, markdown);
  return target.pathname;
}
