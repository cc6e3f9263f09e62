import { z } from 'zod';
import type { JsonValue } from '../../message/json';
import { type JobSchedule, JobScheduleSchema, type ResolvedJobSchedule } from './schedule';

/**
 * A run that does not finish in `timeout` seconds is aborted. Default and range are the agent
 * platforms' (300 s, 1–600 s), so job code moved from them behaves the same here.
 */
export const DEFAULT_JOB_TIMEOUT_SECONDS = 300;
/** The shortest `timeout` accepted, in seconds. */
export const MIN_JOB_TIMEOUT_SECONDS = 1;
/** The longest `timeout` accepted, in seconds: ten minutes, as on the agent platforms. */
export const MAX_JOB_TIMEOUT_SECONDS = 600;
/** The platforms cap attempts per tick at 10; a larger number is refused rather than silently cut. */
export const MAX_JOB_ATTEMPTS = 10;
/** Wait before the next attempt of a failed run, unless `retry.backoffSeconds` says otherwise. */
export const DEFAULT_JOB_BACKOFF_SECONDS = 60;

/** What a handler receives for one run. */
export interface JobContext {
  /** The job's id: the name of a static job, or the id of one made with `create`. */
  id: string;
  /** The handler's name. */
  name: string;
  /** The job's JSON data (`create({ data })`); `null` for static jobs. */
  data: JsonValue;
  /** The instant this run was due (the tick, or the retry time for a retry). */
  scheduledAt: Date;
  /** 1 for a tick's first run, then 2, 3, … for its retries. */
  attempt: number;
  /** Aborted when the run times out; pass it to `fetch` and the like so they stop too. */
  signal: AbortSignal;
  /** The `metadata` given to `define` for this handler (`{}` for `handle`). */
  metadata: Record<string, unknown>;
}

/** The code a job runs. Its one argument is the run's {@link JobContext}. */
export type JobHandler = (job: JobContext) => unknown;

/**
 * Names and ids are store keys shared by every instance: refuse `' digest'` rather than trim it,
 * so the name in the code is exactly the id in the store.
 */
const TRIMMED_NON_EMPTY = /^\S(?:.*\S)?$/s;

const fn = z.custom<JobHandler>((value) => typeof value === 'function', {
  message: 'expected a function (job) => …',
});

const RetrySchema = z.strictObject({
  maxAttempts: z
    .number({ error: 'expected a whole number of attempts' })
    .int('expected a whole number of attempts')
    .min(1, 'expected at least 1 attempt')
    .max(MAX_JOB_ATTEMPTS, `expected at most ${MAX_JOB_ATTEMPTS} attempts`),
  backoffSeconds: z
    .number({ error: 'expected a number of seconds' })
    .nonnegative('expected 0 or more seconds')
    .finite('expected a finite number of seconds')
    .default(DEFAULT_JOB_BACKOFF_SECONDS),
});

const timeout = z
  .number({ error: 'expected a number of seconds' })
  .min(MIN_JOB_TIMEOUT_SECONDS, `expected at least ${MIN_JOB_TIMEOUT_SECONDS} second`)
  .max(MAX_JOB_TIMEOUT_SECONDS, `expected at most ${MAX_JOB_TIMEOUT_SECONDS} seconds`)
  .default(DEFAULT_JOB_TIMEOUT_SECONDS);

/** Options of a handler registered with `handle` (a static job's are part of its definition). */
export const HandlerOptionsSchema = z.strictObject({
  /** Seconds a run may take before it is aborted (1–600, default 300). */
  timeout,
  /** Attempts per tick (including the first) and the wait between them. No retry without it. */
  retry: RetrySchema.optional(),
});

/** Validates the argument of `jobs.define`. */
export const JobDefinitionSchema = z.strictObject({
  name: z
    .string({ error: 'expected a job name' })
    .regex(TRIMMED_NON_EMPTY, 'expected a non-empty name without leading or trailing spaces'),
  description: z.string().optional(),
  schedule: JobScheduleSchema,
  execute: fn,
  timeout,
  retry: RetrySchema.optional(),
  metadata: z.record(z.string(), z.unknown()).default({}),
});

/** Validates the argument of `jobs.create`. */
export const CreateJobInputSchema = z.strictObject({
  handler: z.string({ error: 'expected a handler name' }).min(1, 'expected a handler name'),
  schedule: JobScheduleSchema,
  data: z
    .json({ error: 'expected JSON (strings, numbers, booleans, null, arrays, plain objects)' })
    .optional(),
  id: z
    .string()
    .regex(TRIMMED_NON_EMPTY, 'expected a non-empty id without leading or trailing spaces')
    .optional(),
});

/** The retry policy of a handler, with defaults applied. */
export interface JobRetry {
  maxAttempts: number;
  backoffSeconds: number;
}

/** Options of `jobs.handle`. */
export type HandlerOptions = z.input<typeof HandlerOptionsSchema>;

/** A registered handler as the scheduler runs it. */
export interface RegisteredHandler {
  name: string;
  execute: JobHandler;
  timeoutSeconds: number;
  retry: JobRetry | undefined;
  metadata: Record<string, unknown>;
}

/** The argument of `jobs.define`: a job whose code and schedule live in the host's code. */
export interface JobDefinitionInput {
  /** Non-empty and unique per instance; also the job's id in the store and its handler's name. */
  name: string;
  description?: string;
  schedule: JobSchedule;
  execute: JobHandler;
  /** Seconds (1–600, default 300). */
  timeout?: number;
  retry?: { maxAttempts: number; backoffSeconds?: number };
  metadata?: Record<string, unknown>;
}

/** A validated static job, as `jobs.define` returns it. */
export interface JobDefinition {
  readonly name: string;
  readonly description: string | undefined;
  readonly schedule: ResolvedJobSchedule;
  readonly timeout: number;
  readonly retry: JobRetry | undefined;
  readonly metadata: Readonly<Record<string, unknown>>;
}

/** The argument of `jobs.create`: a job made at run time for a registered handler. */
export interface CreateJobInput {
  /** The name given to `jobs.handle` or `jobs.define`. */
  handler: string;
  schedule: JobSchedule;
  /** JSON handed to the handler as `job.data`. */
  data?: JsonValue;
  /** Defaults to a random UUID. Creating again with the same id and schedule changes nothing. */
  id?: string;
}
