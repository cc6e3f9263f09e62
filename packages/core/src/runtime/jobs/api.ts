import type { JobRecord } from '../../store/jobs';
import type {
  CreateJobInput,
  HandlerOptions,
  JobDefinition,
  JobDefinitionInput,
  JobHandler,
} from './definition';

/**
 * Static and run-time scheduled jobs, run once per tick across every instance sharing a store
 * (`threadline.jobs`).
 *
 * @example
 * ```ts
 * threadline.jobs.define({
 *   name: 'morning-reminders',
 *   schedule: { type: 'cron', expression: '0 9 * * *', timezone: 'Europe/London' },
 *   async execute() { … },
 * });
 * threadline.jobs.handle('follow-up', async ({ data }) => { … });
 * await threadline.start();
 * await threadline.jobs.create({ handler: 'follow-up', schedule: { type: 'interval', seconds: 3600 }, data: { userId } });
 * ```
 */
export interface JobsApi {
  /**
   * Registers a static job: its code, schedule and retry policy live in the host's code, and its
   * id in the store is its `name`, so every instance defines the same job. Validates at once
   * (throws a `ValidationError` naming the field, or when the name is taken on this
   * instance); writes to the store on `start()`, or straight away once started. Defining it again
   * at the next start keeps its next run unless the schedule changed, so a one-off that fell due
   * while every instance was down runs at that start.
   */
  define(job: JobDefinitionInput): JobDefinition;
  /** Registers a handler for jobs made at run time with {@link JobsApi.create}. */
  handle(name: string, execute: JobHandler, options?: HandlerOptions): void;
  /**
   * Schedules a job for a registered handler, with JSON `data` for it. Throws a
   * `ValidationError` when the handler is unknown here. With an explicit `id` it is
   * idempotent: the same id and schedule again return the stored job unchanged.
   */
  create(input: CreateJobInput): Promise<JobRecord>;
  /** Deletes a job from the store. A static job comes back at the next start that defines it. */
  cancel(id: string): Promise<boolean>;
  get(id: string): Promise<JobRecord | null>;
  list(): Promise<JobRecord[]>;
  /** Claims the jobs due now, runs them, and resolves with how many ran once they have finished. */
  runDue(): Promise<number>;
  /** Writes the static jobs to the store, runs what is due, then polls for due jobs. */
  start(): Promise<void>;
  /** Stops polling and waits for runs in progress. */
  stop(): Promise<void>;
}
