import type { Reporter, Vitest } from 'vitest/node';

/** The parts of a vitest task this reporter reads and writes. */
interface Task {
  type: 'suite' | 'test';
  id: string;
  name: string;
  mode: string;
  tasks?: Task[];
  result?: { state?: string; errors?: unknown[]; duration?: number };
}

const hasTests = (task: Task): boolean => task.type === 'test' || (task.tasks ?? []).some(hasTests);

/**
 * Makes a test file that fails to load count as a failed test. StrykerJS 9.6.1's vitest runner
 * scores a mutant from the tests it collected, and a file that throws on import (a mutant of a
 * module-level value that the adapter validates at load, such as its capabilities) collects none,
 * so the mutant was scored "survived" although the suite fails on it
 * (https://github.com/stryker-mutator/stryker-js/issues/6150). This adds one failed test, carrying
 * the load error, to such a file before the runner reads the results.
 */
export class LoadFailureReporter implements Reporter {
  private vitest: Vitest | undefined;

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
  }

  onTestRunEnd(): void {
    for (const file of (this.vitest?.state.getFiles() ?? []) as unknown as Task[]) {
      if (file.result?.state !== 'fail' || hasTests(file)) continue;
      const failed = {
        type: 'test',
        id: `${file.id}_load`,
        name: 'the test file loads',
        mode: 'run',
        suite: file,
        file,
        meta: {},
        context: {},
        annotations: [],
        result: { state: 'fail', errors: file.result.errors ?? [], duration: 0 },
      };
      file.tasks = [...(file.tasks ?? []), failed as unknown as Task];
    }
  }
}
