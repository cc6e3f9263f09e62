import { describe, expect, it } from 'vitest';
import type { ExplainedMutant } from './explained';
import { judgeMutationReport, type MutationReport, originalCode } from './gate';

const source = ['const a = 1;', 'if (a > 0) {', '  log("x");', '}'].join('\n');
const at = (line: number, column: number, endLine: number, endColumn: number) => ({
  start: { line, column },
  end: { line: endLine, column: endColumn },
});

function report(statuses: readonly string[], tests = 3): MutationReport {
  return {
    files: {
      'src/a.ts': {
        source,
        mutants: statuses.map((status, index) => ({
          id: String(index),
          mutatorName: index === 0 ? 'EqualityOperator' : 'StringLiteral',
          replacement: index === 0 ? 'a >= 0' : '""',
          status,
          location: index === 0 ? at(2, 5, 2, 10) : at(3, 7, 3, 10),
        })),
      },
    },
    testFiles: { 't.test.ts': { tests: Array.from({ length: tests }, () => ({})) } },
  };
}

const logString: ExplainedMutant = {
  file: 'src/a.ts',
  mutator: 'StringLiteral',
  original: '"x"',
  reason: 'a log line',
};

describe('judgeMutationReport', () => {
  it('reads the original code of one-line and multi-line spans', () => {
    expect(originalCode(source, at(2, 5, 2, 10))).toBe('a > 0');
    expect(originalCode(source, at(2, 12, 4, 2))).toBe('{\n  log("x");\n}');
  });

  it('passes when every survivor is explained and scores both ways', () => {
    const verdict = judgeMutationReport(report(['Killed', 'Survived']), [logString]);
    expect(verdict.failures).toEqual([]);
    expect(verdict.explained.map((s) => s.id)).toEqual(['1']);
    expect(verdict.score).toBe(50);
    expect(verdict.scoreWithoutExplained).toBe(100);
  });

  it('leaves only equivalent survivors out of the goal figure, not out-of-scope ones', () => {
    const two = report(['Killed', 'Survived']);
    const file = two.files['src/a.ts'];
    if (file === undefined) throw new Error('the fixture has src/a.ts');
    const constant = {
      ...(file.mutants[1] as (typeof file.mutants)[number]),
      id: '2',
      mutatorName: 'NumericLiteral',
      replacement: '0',
      location: at(1, 11, 1, 12),
    };
    const three = {
      ...two,
      files: { 'src/a.ts': { ...file, mutants: [...file.mutants, constant] } },
    };
    const equivalent: ExplainedMutant = {
      file: 'src/a.ts',
      mutator: 'NumericLiteral',
      original: '1',
      reason: 'a constant',
    };
    const verdict = judgeMutationReport(three, [
      { ...logString, kind: 'out-of-scope' },
      equivalent,
    ]);
    expect(verdict.failures).toEqual([]);
    expect(verdict.score).toBe(33.33);
    expect(verdict.scoreWithoutEquivalents).toBe(50);
    expect(verdict.scoreWithoutExplained).toBe(100);
  });

  it('fails on a survivor the list does not explain', () => {
    const verdict = judgeMutationReport(report(['Survived', 'Killed']), [logString]);
    expect(verdict.unexplained.map((s) => s.original)).toEqual(['a > 0']);
    expect(verdict.stale).toEqual([logString]);
    expect(verdict.failures).toHaveLength(2);
  });

  it('tells mutants of the same code apart by their replacement', () => {
    const narrow = { ...logString, replacement: '"Stryker was here!"' };
    const verdict = judgeMutationReport(report(['Killed', 'NoCoverage']), [narrow]);
    expect(verdict.unexplained.map((s) => s.id)).toEqual(['1']);
  });

  it('tells equal code apart by the line it sits on', () => {
    const elsewhere = { ...logString, inLine: 'warn(' };
    expect(
      judgeMutationReport(report(['Killed', 'Survived']), [elsewhere]).unexplained,
    ).toHaveLength(1);
    const here = { ...logString, inLine: 'log(' };
    expect(judgeMutationReport(report(['Killed', 'Survived']), [here]).failures).toEqual([]);
  });

  it('fails when the suite ran no tests instead of reporting 0 %', () => {
    const verdict = judgeMutationReport(report(['NoCoverage', 'NoCoverage'], 0), []);
    expect(verdict.failures.join(' ')).toMatch(/did not load or ran no tests/);
  });

  it('leaves ignored and invalid mutants out of the score', () => {
    const verdict = judgeMutationReport(report(['Killed', 'Ignored']), []);
    expect(verdict).toMatchObject({ mutants: 2, ignored: 1, score: 100, failures: [] });
    expect(judgeMutationReport(report(['Killed', 'CompileError']), []).invalid).toBe(1);
  });
});
