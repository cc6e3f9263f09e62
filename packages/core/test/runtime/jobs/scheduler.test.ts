import { afterEach, describe, expect, it, vi } from 'vitest';
import { ValidationError } from '../../../src/errors/validation';
import type { JobContext } from '../../../src/runtime/jobs/definition';
import { at, createJobsWorld, DAY, HOUR, MINUTE } from './harness';

function recorder() {
  const runs: JobContext[] = [];
  return { runs, execute: async (job: JobContext) => void runs.push(job) };
}

function validationIssues(action: () => unknown): { path: string; message: string }[] {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return [...(error as ValidationError).issues];
  }
  throw new Error('expected a ValidationError');
}

describe('define', () => {
  it('refuses an invalid cron expression, naming schedule.expression', () => {
    const { jobs } = createJobsWorld().instance();
    const issues = validationIssues(() =>
      jobs.define({
        name: 'digest',
        schedule: { type: 'cron', expression: '0 25 * * *' },
        execute: async () => {},
      }),
    );
    expect(issues.map((issue) => issue.path)).toEqual(['schedule.expression']);
  });

  it('names each bad field: empty name, timeout out of range, too many attempts', () => {
    const { jobs } = createJobsWorld().instance();
    const issues = validationIssues(() =>
      jobs.define({
        name: '',
        schedule: { type: 'interval', seconds: 60 },
        execute: async () => {},
        timeout: 601,
        retry: { maxAttempts: 11 },
      }),
    );
    expect(issues.map((issue) => issue.path).sort()).toEqual([
      'name',
      'retry.maxAttempts',
      'timeout',
    ]);
  });

  it('refuses a second job with the same name on one instance', () => {
    const { jobs } = createJobsWorld().instance();
    const job = { name: 'digest', schedule: { type: 'interval', seconds: 60 } as const };
    jobs.define({ ...job, execute: async () => {} });
    expect(validationIssues(() => jobs.define({ ...job, execute: async () => {} }))).toEqual([
      { path: 'name', message: expect.stringContaining('already registered') },
    ]);
  });

  it('writes static jobs to the store on start, with the name as id', async () => {
    const world = createJobsWorld();
    const { jobs } = world.instance();
    jobs.define({
      name: 'digest',
      schedule: { type: 'cron', expression: '0 9 * * *' },
      execute: async () => {},
    });
    expect(await jobs.get('digest')).toBeNull();
    await jobs.start();
    const record = await jobs.get('digest');
    expect(record).toMatchObject({
      id: 'digest',
      handler: 'digest',
      nextRunAt: new Date('2026-01-01T09:00:00Z'),
      schedule: { type: 'cron', expression: '0 9 * * *', timezone: 'UTC' },
    });
    await jobs.stop();
  });

  it('writes a job defined after start straight away', async () => {
    const { jobs } = createJobsWorld().instance();
    await jobs.start();
    jobs.define({
      name: 'late',
      schedule: { type: 'interval', seconds: 60 },
      execute: async () => {},
    });
    await jobs.runDue();
    expect(await jobs.get('late')).not.toBeNull();
    await jobs.stop();
  });
});

describe('cron jobs', () => {
  it('run at their tick, not before, and again at the next tick', async () => {
    const world = createJobsWorld();
    const { jobs } = world.instance();
    const { runs, execute } = recorder();
    jobs.define({ name: 'digest', schedule: { type: 'cron', expression: '0 9 * * *' }, execute });
    await jobs.start();

    at(world, '2026-01-01T08:59:59Z');
    expect(await jobs.runDue()).toBe(0);
    at(world, '2026-01-01T09:00:00Z');
    expect(await jobs.runDue()).toBe(1);
    expect(await jobs.runDue()).toBe(0);

    world.clock.advance(DAY - 1_000);
    expect(await jobs.runDue()).toBe(0);
    world.clock.advance(1_000);
    expect(await jobs.runDue()).toBe(1);

    expect(runs.map((run) => run.scheduledAt.toISOString())).toEqual([
      '2026-01-01T09:00:00.000Z',
      '2026-01-02T09:00:00.000Z',
    ]);
    expect(runs[0]).toMatchObject({ id: 'digest', name: 'digest', data: null, attempt: 1 });
    await jobs.stop();
  });

  it('respect their time zone: 09:00 in London and in New York are different instants', async () => {
    const world = createJobsWorld();
    const { jobs } = world.instance();
    const ran: string[] = [];
    for (const timezone of ['Europe/London', 'America/New_York']) {
      jobs.define({
        name: timezone,
        schedule: { type: 'cron', expression: '0 9 * * *', timezone },
        execute: async () => void ran.push(timezone),
      });
    }
    await jobs.start();
    at(world, '2026-01-01T09:00:00Z');
    await jobs.runDue();
    expect(ran).toEqual(['Europe/London']);
    at(world, '2026-01-01T14:00:00Z');
    await jobs.runDue();
    expect(ran).toEqual(['Europe/London', 'America/New_York']);
    await jobs.stop();
  });

  it('run once, not once per missed tick, after every instance was down for three days', async () => {
    const world = createJobsWorld();
    const first = world.instance();
    const hourly = { type: 'cron', expression: '0 * * * *' } as const;
    first.jobs.define({ name: 'hourly', schedule: hourly, execute: async () => {} });
    await first.jobs.start();
    await first.jobs.stop();

    world.clock.advance(3 * DAY + 30 * MINUTE);
    const second = world.instance();
    const { runs, execute } = recorder();
    second.jobs.define({ name: 'hourly', schedule: hourly, execute });
    await second.jobs.start();
    await second.jobs.stop();
    expect(await second.jobs.runDue()).toBe(0);
    expect(runs).toHaveLength(1);
    expect((await second.jobs.get('hourly'))?.nextRunAt).toEqual(new Date('2026-01-04T01:00:00Z'));
  });
});

describe('interval jobs', () => {
  it('run every interval', async () => {
    const world = createJobsWorld();
    const { jobs } = world.instance();
    const { runs, execute } = recorder();
    jobs.define({ name: 'poll', schedule: { type: 'interval', seconds: 600 }, execute });
    await jobs.start();
    await jobs.runDue();
    expect(runs).toHaveLength(0);
    for (let tick = 0; tick < 3; tick += 1) {
      world.clock.advance(10 * MINUTE);
      expect(await jobs.runDue()).toBe(1);
    }
    world.clock.advance(10 * MINUTE - 1);
    expect(await jobs.runDue()).toBe(0);
    expect(runs).toHaveLength(3);
    await jobs.stop();
  });
});

describe('one-off jobs', () => {
  it('run once at their instant and never again', async () => {
    const world = createJobsWorld();
    const { jobs } = world.instance();
    const { runs, execute } = recorder();
    jobs.define({
      name: 'launch',
      schedule: { type: 'once', executeAt: '2026-01-01T12:00:00Z' },
      execute,
    });
    await jobs.start();
    world.clock.advance(12 * HOUR - 1);
    expect(await jobs.runDue()).toBe(0);
    world.clock.advance(1);
    expect(await jobs.runDue()).toBe(1);
    world.clock.advance(365 * DAY);
    expect(await jobs.runDue()).toBe(0);
    expect(runs).toHaveLength(1);
    expect(await jobs.get('launch')).toMatchObject({ nextRunAt: null, failures: 0 });
    await jobs.stop();
  });

  it('run at the next start when they fell due while no instance was running', async () => {
    const world = createJobsWorld();
    const schedule = { type: 'once', executeAt: '2026-01-01T12:00:00Z' } as const;
    const first = world.instance();
    first.jobs.define({ name: 'launch', schedule, execute: async () => {} });
    await first.jobs.start();
    await first.jobs.stop();

    world.clock.advance(2 * DAY); // every instance is down at noon on the 1st
    const second = world.instance();
    const { runs, execute } = recorder();
    second.jobs.define({ name: 'launch', schedule, execute });
    await second.jobs.start(); // start runs what is due without waiting for a poll
    await second.jobs.stop();
    expect(runs.map((run) => run.scheduledAt)).toEqual([new Date('2026-01-01T12:00:00Z')]);

    const third = world.instance();
    const later = recorder();
    third.jobs.define({ name: 'launch', schedule, execute: later.execute });
    await third.jobs.start();
    await third.jobs.stop();
    expect(later.runs).toHaveLength(0);
  });
});

describe('cancel', () => {
  it('removes a job so it no longer runs', async () => {
    const world = createJobsWorld();
    const { jobs } = world.instance();
    const { runs, execute } = recorder();
    jobs.handle('ping', execute);
    const job = await jobs.create({ handler: 'ping', schedule: { type: 'interval', seconds: 60 } });
    expect(await jobs.list()).toHaveLength(1);
    expect(await jobs.cancel(job.id)).toBe(true);
    world.clock.advance(HOUR);
    expect(await jobs.runDue()).toBe(0);
    expect(runs).toHaveLength(0);
    expect(await jobs.cancel(job.id)).toBe(false);
  });
});

describe('start and stop', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('poll every pollIntervalMs once started, and stop waits for the run in progress', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const world = createJobsWorld();
    const { ctx, jobs } = world.instance();
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const calls: Date[] = [];
    jobs.define({
      name: 'tick',
      schedule: { type: 'interval', seconds: 60 },
      execute: (job) => {
        calls.push(job.scheduledAt);
        return finished;
      },
    });
    await jobs.start();
    world.clock.advance(MINUTE);
    await vi.advanceTimersByTimeAsync(ctx.options.jobs.pollIntervalMs);
    expect(calls).toEqual([new Date('2026-01-01T00:01:00Z')]);

    let stopped = false;
    const stopping = jobs.stop().then(() => {
      stopped = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    finish();
    await stopping;
    expect((await jobs.get('tick'))?.lastRunAt).toEqual(new Date('2026-01-01T00:01:00Z'));

    world.clock.advance(MINUTE);
    await vi.advanceTimersByTimeAsync(10 * ctx.options.jobs.pollIntervalMs);
    expect(calls).toHaveLength(1);
  });
});
