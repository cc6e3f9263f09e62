import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/errors/validation';
import {
  firstRunAt,
  nextRunAfter,
  nextRunAt,
  parseSchedule,
  scheduleKey,
} from '../../../src/runtime/jobs/schedule';

function issuesOf(input: unknown): { path: string; message: string }[] {
  try {
    parseSchedule(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return [...(error as ValidationError).issues];
  }
  throw new Error('expected a ValidationError');
}

const jan1 = new Date('2026-01-01T00:00:00Z');

describe('parseSchedule', () => {
  it('normalises a cron schedule and defaults its time zone to UTC', () => {
    expect(parseSchedule({ type: 'cron', expression: ' 0  9 * * 1-5 ' })).toEqual({
      type: 'cron',
      expression: '0 9 * * 1-5',
      timezone: 'UTC',
    });
  });

  it('reads a one-off instant from a Date or an ISO string with an offset', () => {
    expect(parseSchedule({ type: 'once', executeAt: '2026-03-01T10:00:00+01:00' })).toEqual({
      type: 'once',
      executeAt: new Date('2026-03-01T09:00:00Z'),
    });
    expect(parseSchedule({ type: 'once', executeAt: jan1 })).toEqual({
      type: 'once',
      executeAt: jan1,
    });
  });

  it('accepts cron nicknames such as @daily', () => {
    expect(parseSchedule({ type: 'cron', expression: '@daily' }).type).toBe('cron');
  });

  it('names schedule.expression for a malformed cron expression', () => {
    expect(issuesOf({ type: 'cron', expression: '61 9 * * *' })).toEqual([
      { path: 'schedule.expression', message: expect.stringContaining('minute') },
    ]);
    expect(issuesOf({ type: 'cron', expression: 'every day' })).toEqual([
      { path: 'schedule.expression', message: expect.stringContaining('expected 5 fields') },
    ]);
  });

  it('refuses six-field cron, dates posing as cron, and patterns that never match', () => {
    expect(issuesOf({ type: 'cron', expression: '0 0 9 * * *' })[0]?.path).toBe(
      'schedule.expression',
    );
    expect(issuesOf({ type: 'cron', expression: '2026-03-01T09:00:00Z' })[0]?.path).toBe(
      'schedule.expression',
    );
    expect(issuesOf({ type: 'cron', expression: '0 0 30 2 *' })).toEqual([
      { path: 'schedule.expression', message: expect.stringContaining('never matches') },
    ]);
  });

  it('names schedule.timezone for an unknown time zone, and only that', () => {
    expect(issuesOf({ type: 'cron', expression: '0 9 * * *', timezone: 'Mars/Olympus' })).toEqual([
      { path: 'schedule.timezone', message: expect.stringContaining('Mars/Olympus') },
    ]);
  });

  it('refuses a one-off date-time without a zone, which servers would read differently', () => {
    expect(issuesOf({ type: 'once', executeAt: '2026-03-01T09:00:00' })[0]?.path).toBe(
      'schedule.executeAt',
    );
    expect(issuesOf({ type: 'once', executeAt: new Date('nonsense') })[0]?.path).toBe(
      'schedule.executeAt',
    );
  });

  it('refuses a non-positive interval and an unknown type', () => {
    expect(issuesOf({ type: 'interval', seconds: 0 })[0]?.path).toBe('schedule.seconds');
    expect(issuesOf({ type: 'weekly' })).toEqual([
      { path: 'schedule.type', message: "expected type 'cron', 'once' or 'interval'" },
    ]);
  });

  it('refuses a misspelt key rather than silently running in UTC', () => {
    expect(
      issuesOf({ type: 'cron', expression: '0 9 * * *', timeZone: 'Europe/London' })[0]?.message,
    ).toContain('timeZone');
  });
});

describe('scheduleKey', () => {
  it('is equal for schedules that mean the same and differs otherwise', () => {
    expect(scheduleKey({ type: 'cron', expression: '0 9 * * *' })).toBe(
      scheduleKey({ type: 'cron', expression: '0  9 * * *', timezone: 'UTC' }),
    );
    expect(scheduleKey({ type: 'once', executeAt: '2026-03-01T10:00:00+01:00' })).toBe(
      scheduleKey({ type: 'once', executeAt: new Date('2026-03-01T09:00:00Z') }),
    );
    expect(
      scheduleKey({ type: 'cron', expression: '0 9 * * *', timezone: 'Europe/London' }),
    ).not.toBe(scheduleKey({ type: 'cron', expression: '0 9 * * *' }));
    expect(scheduleKey({ type: 'interval', seconds: 60 })).not.toBe(
      scheduleKey({ type: 'interval', seconds: 61 }),
    );
  });
});

describe('nextRunAt', () => {
  it('computes a cron tick in the schedule’s time zone', () => {
    const london = { type: 'cron', expression: '0 9 * * *', timezone: 'Europe/London' } as const;
    const newYork = {
      type: 'cron',
      expression: '0 9 * * *',
      timezone: 'America/New_York',
    } as const;
    expect(nextRunAt(london, jan1)).toEqual(new Date('2026-01-01T09:00:00Z'));
    expect(nextRunAt(newYork, jan1)).toEqual(new Date('2026-01-01T14:00:00Z'));
    // Summer time moves the London tick an hour earlier in UTC.
    expect(nextRunAt(london, new Date('2026-07-01T00:00:00Z'))).toEqual(
      new Date('2026-07-01T08:00:00Z'),
    );
  });

  it('is strictly after the given instant', () => {
    const daily = { type: 'cron', expression: '0 9 * * *' } as const;
    expect(nextRunAt(daily, new Date('2026-01-01T09:00:00Z'))).toEqual(
      new Date('2026-01-02T09:00:00Z'),
    );
  });

  it('gives a one-off its instant until it has passed, then null', () => {
    const once = { type: 'once', executeAt: '2026-01-01T12:00:00Z' } as const;
    expect(nextRunAt(once, jan1)).toEqual(new Date('2026-01-01T12:00:00Z'));
    expect(nextRunAt(once, new Date('2026-01-01T12:00:00Z'))).toBeNull();
  });

  it('adds the interval', () => {
    expect(nextRunAt({ type: 'interval', seconds: 90 }, jan1)).toEqual(
      new Date('2026-01-01T00:01:30Z'),
    );
  });
});

describe('firstRunAt', () => {
  it('makes a one-off whose instant has passed due at once', () => {
    const past = { type: 'once', executeAt: '2025-12-31T23:00:00Z' } as const;
    expect(firstRunAt(past, jan1)).toEqual(new Date('2025-12-31T23:00:00Z'));
  });
});

describe('nextRunAfter', () => {
  it('skips cron ticks missed while down instead of running a backlog', () => {
    const hourly = { type: 'cron', expression: '0 * * * *' } as const;
    const next = nextRunAfter(hourly, {
      scheduledAt: new Date('2026-01-01T00:00:00Z'),
      now: new Date('2026-01-04T00:30:00Z'),
    });
    expect(next).toEqual(new Date('2026-01-04T01:00:00Z'));
  });

  it('keeps an interval’s phase rather than drifting by the run’s duration', () => {
    const minutely = { type: 'interval', seconds: 60 } as const;
    const scheduledAt = new Date('2026-01-01T00:00:00Z');
    expect(nextRunAfter(minutely, { scheduledAt, now: new Date('2026-01-01T00:00:05Z') })).toEqual(
      new Date('2026-01-01T00:01:00Z'),
    );
    expect(nextRunAfter(minutely, { scheduledAt, now: new Date('2026-01-01T00:05:00Z') })).toEqual(
      new Date('2026-01-01T00:06:00Z'),
    );
  });

  it('ends a one-off', () => {
    expect(
      nextRunAfter({ type: 'once', executeAt: jan1 }, { scheduledAt: jan1, now: jan1 }),
    ).toBeNull();
  });
});
