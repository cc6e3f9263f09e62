import { Cron } from 'croner';

/**
 * Cron expressions have the classic five fields (minute hour day-of-month month day-of-week), as
 * on the agent platforms hosts move from. croner would also take six or seven fields (seconds,
 * years) and even an ISO date as a "pattern"; a seconds field means nothing with a poller that
 * ticks every second, and a date belongs in a `once` schedule, so both are refused.
 */
export const CRON_FIELD_COUNT = 5;

/** The time zone a cron schedule without one runs in. croner's own default is the host's local zone. */
export const DEFAULT_CRON_TIMEZONE = 'UTC';

/**
 * A fixed instant to probe patterns from. With five fields (no year) whether a pattern ever
 * matches does not depend on the start, and a fixed start keeps validation deterministic.
 */
const PROBE_FROM = new Date(Date.UTC(2000, 0, 1));

/** A paused croner job: computes times, never schedules a timer. */
function cronOf(expression: string, timezone: string): Cron {
  return new Cron(expression, { timezone, paused: true, mode: '5-part' });
}

function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^Cron(Pattern|Date): /, '');
}

/**
 * Collapses runs of whitespace so `0  9 * * *` and `0 9 * * *` are the same schedule.
 *
 * @example
 * ```ts
 * normalizeCronExpression(' 0  9 * * 1-5 '); // '0 9 * * 1-5'
 * ```
 */
export function normalizeCronExpression(expression: string): string {
  return expression.trim().split(/\s+/).join(' ');
}

/**
 * Why `timezone` cannot be used, or `undefined` when croner accepts it. Asks croner itself, so a
 * zone that passes here is one it can compute with.
 *
 * @example
 * ```ts
 * timezoneProblem('Europe/London'); // undefined
 * timezoneProblem('Mars/Olympus');  // 'unknown IANA time zone "Mars/Olympus" …'
 * ```
 */
export function timezoneProblem(timezone: string): string | undefined {
  try {
    cronOf('* * * * *', timezone).nextRun(PROBE_FROM);
    return undefined;
  } catch {
    return `unknown IANA time zone ${JSON.stringify(timezone)} (e.g. "UTC", "Europe/London", "America/New_York")`;
  }
}

/**
 * Why `expression` is not a usable five-field cron expression, or `undefined` when it is. A
 * pattern that can never match (`0 0 30 2 *`, the 30th of February) is refused too: the job would
 * silently never run.
 *
 * @example
 * ```ts
 * cronProblem('0 9 * * *');  // undefined
 * cronProblem('61 9 * * *'); // 'invalid cron expression "61 9 * * *": Invalid value for minute: 61'
 * ```
 */
export function cronProblem(
  expression: string,
  timezone: string = DEFAULT_CRON_TIMEZONE,
): string | undefined {
  const normalized = normalizeCronExpression(expression);
  const quoted = JSON.stringify(normalized);
  const fields = normalized.split(' ').length;
  // Nicknames (@daily, @hourly, …) are one word; croner expands them to five fields.
  if (!normalized.startsWith('@') && fields !== CRON_FIELD_COUNT) {
    return `invalid cron expression ${quoted}: expected ${CRON_FIELD_COUNT} fields (minute hour day-of-month month day-of-week), got ${fields}`;
  }
  try {
    if (cronOf(normalized, timezone).nextRun(PROBE_FROM) === null) {
      return `cron expression ${quoted} never matches a date`;
    }
    return undefined;
  } catch (error) {
    return `invalid cron expression ${quoted}: ${messageOf(error)}`;
  }
}

/**
 * The first tick of `expression` in `timezone` strictly after `after`, or `null` if there is none.
 *
 * @example
 * ```ts
 * nextCronRun('0 9 * * *', 'Europe/London', new Date('2026-07-01T00:00:00Z')); // 2026-07-01T08:00:00Z (BST)
 * ```
 */
export function nextCronRun(expression: string, timezone: string, after: Date): Date | null {
  return cronOf(normalizeCronExpression(expression), timezone).nextRun(after);
}
