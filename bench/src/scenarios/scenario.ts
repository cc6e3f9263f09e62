import type { BenchRow } from '../report';

/** What a scenario gets: the mode, and where to say what it is doing. */
export interface ScenarioContext {
  full: boolean;
  /** `--profile`: child processes run with `node --cpu-prof`, profiles go to `results/`. */
  profile: boolean;
  log(message: string): void;
  /** A line printed under the table (sizes, caveats): what a reader needs to read a row right. */
  note(message: string): void;
}

/** One benchmark scenario (B1…B5), producing rows with their baselines. */
export interface Scenario {
  id: string;
  title: string;
  run(context: ScenarioContext): Promise<BenchRow[]>;
}
