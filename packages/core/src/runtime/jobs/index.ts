export type { JobsApi } from './api';
export { CRON_FIELD_COUNT, DEFAULT_CRON_TIMEZONE } from './cron';
export {
  type CreateJobInput,
  DEFAULT_JOB_BACKOFF_SECONDS,
  DEFAULT_JOB_TIMEOUT_SECONDS,
  type HandlerOptions,
  type JobContext,
  type JobDefinition,
  type JobDefinitionInput,
  type JobHandler,
  type JobRetry,
  MAX_JOB_ATTEMPTS,
  MAX_JOB_TIMEOUT_SECONDS,
  MIN_JOB_TIMEOUT_SECONDS,
} from './definition';
export { JobTimeoutError } from './errors';
export {
  firstRunAt,
  type JobSchedule,
  JobScheduleSchema,
  nextRunAfter,
  nextRunAt,
  parseSchedule,
  type ResolvedJobSchedule,
  scheduleKey,
} from './schedule';
export { createJobs } from './scheduler';
