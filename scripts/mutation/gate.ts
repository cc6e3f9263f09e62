import type { ExplainedMutant } from './explained';

/** The parts of a Stryker JSON report (mutation-testing-report-schema) the gate reads. */
export interface MutationReport {
  readonly files: Readonly<
    Record<
      string,
      {
        readonly source: string;
        readonly mutants: readonly {
          readonly id: string;
          readonly mutatorName: string;
          readonly replacement?: string;
          readonly status: string;
          readonly location: {
            readonly start: { readonly line: number; readonly column: number };
            readonly end: { readonly line: number; readonly column: number };
          };
        }[];
      }
    >
  >;
  readonly testFiles?: Readonly<Record<string, { readonly tests: readonly unknown[] }>>;
}

/** A mutant that no test detected: it survived, or no test ran its code. */
export interface Survivor {
  readonly id: string;
  readonly file: string;
  readonly line: number;
  readonly mutator: string;
  readonly status: 'Survived' | 'NoCoverage';
  readonly original: string;
  readonly replacement: string;
  /** The whole source line the mutant starts on. */
  readonly sourceLine: string;
}

/** The counts, scores and findings of one target's run. */
export interface MutationVerdict {
  readonly mutants: number;
  readonly killed: number;
  readonly timedOut: number;
  readonly survived: number;
  readonly noCoverage: number;
  /** Mutants Stryker ignored (a `// Stryker disable` comment with its reason). */
  readonly ignored: number;
  /** Mutants that did not compile or crashed the runner: not counted in the score. */
  readonly invalid: number;
  readonly tests: number;
  readonly explained: readonly Survivor[];
  readonly unexplained: readonly Survivor[];
  /** Entries of the explained list that match no survivor: killed now, or wrong. */
  readonly stale: readonly ExplainedMutant[];
  /** Detected / (detected + undetected), in percent. */
  readonly score: number;
  /** The same with the explained survivors left out of the denominator. */
  readonly scoreWithoutExplained: number;
  /**
   * The same with only the equivalent survivors left out (not the out-of-scope ones): the figure
   * the goal (≥ 90 %) is about, since an equivalent mutant cannot be killed by any test.
   */
  readonly scoreWithoutEquivalents: number;
  /** Reasons the run must fail; empty when it passes. */
  readonly failures: readonly string[];
}

const collapse = (code: string): string => code.replace(/\s+/g, ' ').trim();

/** The original code a mutant replaces; report positions are 1-based lines and columns. */
export function originalCode(
  source: string,
  location: MutationReport['files'][string]['mutants'][number]['location'],
): string {
  const lines = source.split('\n');
  const { start, end } = location;
  if (start.line === end.line) {
    return (lines[start.line - 1] ?? '').slice(start.column - 1, end.column - 1);
  }
  const first = (lines[start.line - 1] ?? '').slice(start.column - 1);
  const middle = lines.slice(start.line, end.line - 1);
  const last = (lines[end.line - 1] ?? '').slice(0, end.column - 1);
  return [first, ...middle, last].join('\n');
}

function matches(entry: ExplainedMutant, survivor: Survivor): boolean {
  return (
    entry.file === survivor.file &&
    entry.mutator === survivor.mutator &&
    collapse(survivor.original).includes(collapse(entry.original)) &&
    (entry.replacement === undefined ||
      collapse(survivor.replacement).includes(collapse(entry.replacement))) &&
    (entry.inLine === undefined || collapse(survivor.sourceLine).includes(collapse(entry.inLine)))
  );
}

const percent = (part: number, whole: number): number =>
  whole === 0 ? 0 : Math.floor((part / whole) * 10_000) / 100;

/**
 * Judges a Stryker report against the explained list: every survivor must be explained, every
 * explanation must still match a survivor, and the suite must have loaded and run tests (a dry
 * run that found nothing reports every mutant as "no coverage", which is not a score).
 */
export function judgeMutationReport(
  report: MutationReport,
  explainedList: readonly ExplainedMutant[],
): MutationVerdict {
  const counts = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, Ignored: 0, invalid: 0 };
  const survivors: Survivor[] = [];
  for (const [file, { source, mutants }] of Object.entries(report.files)) {
    for (const mutant of mutants) {
      if (mutant.status === 'Survived' || mutant.status === 'NoCoverage') {
        survivors.push({
          id: mutant.id,
          file,
          line: mutant.location.start.line,
          mutator: mutant.mutatorName,
          status: mutant.status,
          original: originalCode(source, mutant.location),
          sourceLine: source.split('\n')[mutant.location.start.line - 1] ?? '',
          replacement: mutant.replacement ?? '',
        });
      }
      if (mutant.status in counts) counts[mutant.status as keyof typeof counts] += 1;
      else counts.invalid += 1;
    }
  }
  const explained = survivors.filter((s) => explainedList.some((entry) => matches(entry, s)));
  const unexplained = survivors.filter((s) => !explained.includes(s));
  const equivalents = survivors.filter((s) =>
    explainedList.some(
      (entry) => (entry.kind ?? 'equivalent') === 'equivalent' && matches(entry, s),
    ),
  );
  const stale = explainedList.filter((entry) => !survivors.some((s) => matches(entry, s)));
  const tests = Object.values(report.testFiles ?? {}).reduce((n, f) => n + f.tests.length, 0);
  const detected = counts.Killed + counts.Timeout;
  const undetected = counts.Survived + counts.NoCoverage;
  const mutants = Object.values(report.files).reduce((n, f) => n + f.mutants.length, 0);

  const failures: string[] = [];
  if (mutants === 0) failures.push('Stryker produced no mutants: check the mutate globs.');
  if (tests === 0 || (mutants > counts.Ignored && detected === 0)) {
    failures.push(
      'The conformance suite did not load or ran no tests: this is not a score of 0 %.',
    );
  }
  if (unexplained.length > 0) {
    failures.push(`${unexplained.length} surviving mutant(s) are not in the explained list.`);
  }
  if (stale.length > 0) {
    failures.push(`${stale.length} explained entr(y/ies) match no surviving mutant: remove them.`);
  }
  return {
    mutants,
    killed: counts.Killed,
    timedOut: counts.Timeout,
    survived: counts.Survived,
    noCoverage: counts.NoCoverage,
    ignored: counts.Ignored,
    invalid: counts.invalid,
    tests,
    explained,
    unexplained,
    stale,
    score: percent(detected, detected + undetected),
    scoreWithoutExplained: percent(detected, detected + undetected - explained.length),
    scoreWithoutEquivalents: percent(detected, detected + undetected - equivalents.length),
    failures,
  };
}
