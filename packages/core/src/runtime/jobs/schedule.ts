import { z } from 'zod';
import { issuesFromZod, ValidationError } from '../../errors/validation';
import type { JsonObject } from '../../message/json';
import {
  cronProblem,
  DEFAULT_CRON_TIMEZONE,
  nextCronRun,
  normalizeCronExpression,
  timezoneProblem,
} from './cron';

/**
 * An ISO 8601 date-time must say which instant it means: without `Z` or an offset,
 * `new Date('2026-03-01T09:00:00')` reads it in the server's local zone, so two instances in
 * different zones would disagree about when a one-off job is due.
 */
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

const CronScheduleSchema = z
  .strictObject({
    type: z.literal('cron'),
    expression: z.string().trim().min(1, 'expected a cron expression, e.g. "0 9 * * *"'),
    timezone: z.string().min(1, 'expected an IANA time zone, e.g. "Europe/London"').optional(),
  })
  .superRefine((value, ctx) => {
    const zoneProblem = value.timezone === undefined ? undefined : timezoneProblem(value.timezone);
    if (zoneProblem !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['timezone'], message: zoneProblem });
    }
    // Check the pattern in UTC when the zone is bad, so one mistake is not reported twice.
    const zone = zoneProblem === undefined ? value.timezone : undefined;
    const patternProblem = cronProblem(value.expression, zone ?? DEFAULT_CRON_TIMEZONE);
    if (patternProblem !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['expression'], message: patternProblem });
    }
  })
  .transform((value) => ({
    type: 'cron' as const,
    expression: normalizeCronExpression(value.expression),
    timezone: value.timezone ?? DEFAULT_CRON_TIMEZONE,
  }));

const OnceScheduleSchema = z
  .strictObject({
    type: z.literal('once'),
    executeAt: z.union(
      [
        z.date(),
        z.string().refine((text) => ISO_WITH_ZONE.test(text) && Number.isFinite(Date.parse(text))),
      ],
      {
        error:
          'expected a Date or an ISO 8601 date-time with Z or an offset, e.g. "2026-03-01T09:00:00Z"',
      },
    ),
  })
  .transform((value) => ({ type: 'once' as const, executeAt: new Date(value.executeAt) }));

const IntervalScheduleSchema = z.strictObject({
  type: z.literal('interval'),
  seconds: z
    .number({ error: 'expected a number of seconds' })
    .positive('expected more than 0 seconds')
    .finite('expected a finite number of seconds'),
});

/**
 * When a job runs: on a five-field cron expression in an IANA time zone (default UTC), once at an
 * instant, or every `seconds`. Parsing normalises it ({@link ResolvedJobSchedule}).
 *
 * @example
 * ```ts
 * JobScheduleSchema.parse({ type: 'cron', expression: '0 9 * * 1-5', timezone: 'Europe/London' });
 * JobScheduleSchema.parse({ type: 'once', executeAt: '2026-03-01T09:00:00Z' });
 * JobScheduleSchema.parse({ type: 'interval', seconds: 3600 });
 * ```
 */
export const JobScheduleSchema = z.discriminatedUnion(
  'type',
  [CronScheduleSchema, OnceScheduleSchema, IntervalScheduleSchema],
  {
    error: (issue) =>
      issue.code === 'invalid_union' ? "expected type 'cron', 'once' or 'interval'" : undefined,
  },
);

/** A schedule as a host writes it (`executeAt` a Date or an ISO string, `timezone` optional). */
export type JobSchedule = z.input<typeof JobScheduleSchema>;
/** A validated schedule: `executeAt` a Date, `timezone` always set, the expression normalised. */
export type ResolvedJobSchedule = z.output<typeof JobScheduleSchema>;

/**
 * Validates a schedule, or throws a {@link ValidationError} whose issues name the field
 * (`schedule.expression`, `schedule.timezone`, `schedule.executeAt`, `schedule.seconds`).
 *
 * @example
 * ```ts
 * parseSchedule({ type: 'cron', expression: '0 9 * * *' }); // { type: 'cron', expression: '0 9 * * *', timezone: 'UTC' }
 * parseSchedule({ type: 'cron', expression: 'daily' });     // throws: schedule.expression: invalid cron expression …
 * ```
 */
export function parseSchedule(input: unknown): ResolvedJobSchedule {
  const result = JobScheduleSchema.safeParse(input);
  if (result.success) return result.data;
  throw new ValidationError('job schedule', issuesFromZod(result.error, 'schedule'), result.error);
}

function resolve(schedule: JobSchedule): ResolvedJobSchedule {
  switch (schedule.type) {
    case 'cron':
      return {
        type: 'cron',
        expression: normalizeCronExpression(schedule.expression),
        timezone: schedule.timezone ?? DEFAULT_CRON_TIMEZONE,
      };
    case 'once':
      return { type: 'once', executeAt: new Date(schedule.executeAt) };
    case 'interval':
      return schedule;
  }
}

/**
 * A canonical string for a schedule: equal for schedules that mean the same thing (an omitted
 * time zone and `'UTC'`, a Date and the same instant as an ISO string with another offset), so
 * the store keeps a job's next run across restarts and recomputes it only when the schedule
 * really changed.
 *
 * @example
 * ```ts
 * scheduleKey({ type: 'cron', expression: '0 9 * * *' }); // '["cron","0 9 * * *","UTC"]'
 * scheduleKey({ type: 'once', executeAt: '2026-03-01T10:00:00+01:00' }); // '["once","2026-03-01T09:00:00.000Z"]'
 * ```
 */
export function scheduleKey(schedule: JobSchedule): string {
  const resolved = resolve(schedule);
  switch (resolved.type) {
    case 'cron':
      return JSON.stringify(['cron', resolved.expression, resolved.timezone]);
    case 'once':
      return JSON.stringify(['once', resolved.executeAt.toISOString()]);
    case 'interval':
      return JSON.stringify(['interval', resolved.seconds]);
  }
}

/**
 * The schedule as JSON for the store (`JobRecord.schedule`); {@link parseSchedule} reads it back.
 *
 * @example
 * ```ts
 * toStoredSchedule({ type: 'once', executeAt: new Date(0) }); // { type: 'once', executeAt: '1970-01-01T00:00:00.000Z' }
 * ```
 */
export function toStoredSchedule(schedule: JobSchedule): JsonObject {
  const resolved = resolve(schedule);
  return resolved.type === 'once'
    ? { type: 'once', executeAt: resolved.executeAt.toISOString() }
    : { ...resolved };
}

/**
 * The first time the schedule falls due strictly after `after`, or `null` if never: the next cron
 * tick in the schedule's time zone; `executeAt` for a one-off that is still ahead (`null` once
 * that instant has passed, i.e. it has run); `after + seconds` for an interval.
 *
 * @example
 * ```ts
 * nextRunAt({ type: 'cron', expression: '0 9 * * *', timezone: 'America/New_York' }, new Date('2026-01-01T00:00:00Z'));
 * // 2026-01-01T14:00:00.000Z
 * nextRunAt({ type: 'interval', seconds: 60 }, new Date('2026-01-01T00:00:00Z')); // 2026-01-01T00:01:00.000Z
 * ```
 */
export function nextRunAt(schedule: JobSchedule, after: Date): Date | null {
  const resolved = resolve(schedule);
  switch (resolved.type) {
    case 'cron':
      return nextCronRun(resolved.expression, resolved.timezone, after);
    case 'once':
      return resolved.executeAt.getTime() > after.getTime() ? resolved.executeAt : null;
    case 'interval':
      return new Date(after.getTime() + resolved.seconds * 1000);
  }
}

/**
 * When a newly defined job is first due. Unlike {@link nextRunAt}, a one-off whose `executeAt` has
 * already passed is due at once: "run at 09:00" defined at 09:00:00.003 must still run.
 *
 * @example
 * ```ts
 * firstRunAt({ type: 'once', executeAt: '2020-01-01T00:00:00Z' }, new Date()); // 2020-01-01T00:00:00.000Z (due now)
 * ```
 */
export function firstRunAt(schedule: JobSchedule, now: Date): Date | null {
  return schedule.type === 'once' ? new Date(schedule.executeAt) : nextRunAt(schedule, now);
}

/**
 * When a job is next due after the run of the tick at `scheduledAt` ended at `now`. Never at or
 * before `now`: ticks missed while no instance ran (or while the run took long) are skipped, not
 * run as a backlog, so a cron job that was down for three days runs once, not 72 times. An
 * interval keeps its phase (`scheduledAt + k × seconds`) so it does not drift by each run's
 * duration. A one-off is done: `null`.
 *
 * @example
 * ```ts
 * const hourly = { type: 'interval', seconds: 3600 } as const;
 * nextRunAfter(hourly, { scheduledAt: new Date('2026-01-01T00:00:00Z'), now: new Date('2026-01-03T05:30:00Z') });
 * // 2026-01-03T06:00:00.000Z
 * ```
 */
export function nextRunAfter(
  schedule: JobSchedule,
  run: { scheduledAt: Date; now: Date },
): Date | null {
  const resolved = resolve(schedule);
  const scheduled = run.scheduledAt.getTime();
  const now = run.now.getTime();
  switch (resolved.type) {
    case 'cron':
      return nextCronRun(
        resolved.expression,
        resolved.timezone,
        new Date(Math.max(scheduled, now)),
      );
    case 'once':
      return null;
    case 'interval': {
      const periodMs = resolved.seconds * 1000;
      const periods = Math.max(1, Math.floor((now - scheduled) / periodMs) + 1);
      return new Date(scheduled + periods * periodMs);
    }
  }
}
