import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What every scenario reports, whatever its assertions say. */
export interface Figures {
  scenario: string;
  store: string;
  sent: number;
  recorded: number;
  lost: number;
  duplicates: number;
  crashes: number;
  durationMs: number;
  /** Anything else the scenario measured (in flight at the kill, connections cut…). */
  note?: string;
}

/**
 * Where scenarios leave their figures for the table printed at the end of the run: inside this
 * checkout (git-ignored), so two checkouts running the suite at once never mix their figures.
 */
export const FIGURES_DIR =
  process.env.THREADLINE_FAULT_FIGURES ?? fileURLToPath(new URL('../.figures', import.meta.url));

/** Saves one scenario's figures (before its assertions, so a failing scenario still reports). */
export function report(figures: Figures): void {
  mkdirSync(FIGURES_DIR, { recursive: true });
  const file = `${figures.scenario}-${figures.store}`.replace(/[^\w.-]+/g, '_');
  writeFileSync(join(FIGURES_DIR, `${file}.json`), JSON.stringify(figures));
  console.info(`[fault] ${JSON.stringify(figures)}`);
}

/** Every saved figure, in scenario order. */
export function readAll(): Figures[] {
  let files: string[] = [];
  try {
    files = readdirSync(FIGURES_DIR).filter((name) => name.endsWith('.json'));
  } catch {
    return [];
  }
  return files
    .map((name) => JSON.parse(readFileSync(join(FIGURES_DIR, name), 'utf8')) as Figures)
    .sort((a, b) => `${a.scenario}${a.store}`.localeCompare(`${b.scenario}${b.store}`));
}

const COLUMNS = [
  'scenario',
  'store',
  'sent',
  'recorded',
  'lost',
  'duplicates',
  'crashes',
  'duration',
  'note',
];

/** The figures as a plain-text table. */
export function table(rows: readonly Figures[]): string {
  const cells = rows.map((row) => [
    row.scenario,
    row.store,
    String(row.sent),
    String(row.recorded),
    String(row.lost),
    String(row.duplicates),
    String(row.crashes),
    `${(row.durationMs / 1000).toFixed(1)} s`,
    row.note ?? '',
  ]);
  const widths = COLUMNS.map((title, i) =>
    Math.max(title.length, ...cells.map((c) => (c[i] ?? '').length)),
  );
  const line = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(COLUMNS), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}
