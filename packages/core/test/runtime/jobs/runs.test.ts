import { afterEach, describe, expect, it, vi } from 'vitest';
import { ValidationError } from '../../../src/errors/validation';
import type { JobContext } from '../../../src/runtime/jobs/definition';
import { JobTimeoutError } from '../../../src/runtime/jobs/errors';
import { createJobsWorld, HOUR, MINUTE } from './harness';

afterEach(() => {
  vi.useRealTimers();
});

describe('retries', () => {
  it('re-run a failed run after the backoff, then succeed and return to the schedule', async () => {
    const world = createJobsWorld();
    const { jobs, failed, completed, errors } = world.instance();
    const attempts: number[] = [];
    jobs.define({
      name: 'sync',
      schedule: { type: 'cron', expression: '0 * * * *' },
      retry: { maxAttempts: 3, backoffSeconds: 30 },
      async execute(job) {
        attempts.push(job.attempt);
        if (job.attempt < 3) throw new Error(`flaky ${job.attempt}`);
      },
    });
    await jobs.start();
    world.clock.advance(HOUR);
    expect(await jobs.runDue()).toBe(1);
    expect(await jobs.get('sync')).toMatchObject({
      failures: 1,
      lastError: 'Error: flaky 1',
      nextRunAt: new Date('2026-01-01T01:00:30Z'),
    });

    world.clock.advance(29_000);
    expect(await jobs.runDue()).toBe(0);
    world.clock.advance(1_000);
    expect(await jobs.runDue()).toBe(1);
    world.clock.advance(30_000);
    expect(await jobs.runDue()).toBe(1);

    expect(attempts).toEqual([1, 2, 3]);
    expect(failed.map(({ attempt, willRetry }) => ({ attempt, willRetry }))).toEqual([
      { attempt: 1, willRetry: true },
      { attempt: 2, willRetry: true },
    ]);
    expect(completed).toEqual([{ jobId: 'sync', handler: 'sync', durationMs: 0 }]);
    expect(errors.map(({ context }) => context)).toEqual([
      { phase: 'job', jobId: 'sync' },
      { phase: 'job', jobId: 'sync' },
    ]);
    const record = await jobs.get('sync');
    expect(record).toMatchObject({ failures: 0, nextRunAt: new Date('2026-01-01T02:00:00Z') });
    expect(record?.lastError).toBeUndefined();
    await jobs.stop();
  });

  it('give up after maxAttempts and start the next tick at attempt 1', async () => {
    const world = createJobsWorld();
    const { jobs, failed } = world.instance();
    jobs.define({
      name: 'broken',
      schedule: { type: 'cron', expression: '0 * * * *' },
      retry: { maxAttempts: 2 },
      async execute() {
        throw new Error('down');
      },
    });
    await jobs.start();
    world.clock.advance(HOUR);
    await jobs.runDue();
    world.clock.advance(MINUTE); // the default backoff is 60 s
    await jobs.runDue();
    expect(await jobs.get('broken')).toMatchObject({
      failures: 2,
      nextRunAt: new Date('2026-01-01T02:00:00Z'),
    });
    world.clock.advance(HOUR);
    await jobs.runDue();
    expect(failed.map(({ attempt, willRetry }) => [attempt, willRetry])).toEqual([
      [1, true],
      [2, false],
      [1, true],
    ]);
    await jobs.stop();
  });

  it('do not happen without a retry policy', async () => {
    const world = createJobsWorld();
    const { jobs, failed } = world.instance();
    jobs.define({
      name: 'once-a-minute',
      schedule: { type: 'interval', seconds: 60 },
      execute: () => {
        throw new Error('sync throw');
      },
    });
    await jobs.start();
    world.clock.advance(MINUTE);
    await jobs.runDue();
    expect(failed).toEqual([
      expect.objectContaining({ attempt: 1, willRetry: false, error: new Error('sync throw') }),
    ]);
    expect((await jobs.get('once-a-minute'))?.nextRunAt).toEqual(new Date('2026-01-01T00:02:00Z'));
    await jobs.stop();
  });
});

describe('timeouts', () => {
  it('abort the run’s signal and report job.failed with a JobTimeoutError', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const world = createJobsWorld();
    const { jobs, failed } = world.instance();
    let started!: () => void;
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    let signal: AbortSignal | undefined;
    jobs.define({
      name: 'slow',
      schedule: { type: 'interval', seconds: 60 },
      timeout: 2,
      execute: (job) => {
        signal = job.signal;
        started();
        return new Promise(() => {}); // never settles, ignoring the signal
      },
    });
    await jobs.start();
    world.clock.advance(MINUTE);
    const ran = jobs.runDue();
    await running;
    await vi.advanceTimersByTimeAsync(1_999);
    expect(signal?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await ran).toBe(1);
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toBeInstanceOf(JobTimeoutError);
    expect(failed).toHaveLength(1);
    expect(failed[0]?.error).toBeInstanceOf(JobTimeoutError);
    expect((await jobs.get('slow'))?.lastError).toContain('did not finish within 2 s');
    await jobs.stop();
  });
});

describe('create', () => {
  it('hands the job’s JSON data to the registered handler', async () => {
    const world = createJobsWorld();
    const { jobs } = world.instance();
    const runs: JobContext[] = [];
    jobs.handle('follow-up', async (job) => void runs.push(job));
    const record = await jobs.create({
      handler: 'follow-up',
      schedule: { type: 'once', executeAt: '2026-01-01T02:00:00Z' },
      data: { userId: 'u-1', note: 'check in' },
    });
    expect(record).toMatchObject({
      handler: 'follow-up',
      nextRunAt: new Date('2026-01-01T02:00:00Z'),
    });
    world.clock.advance(2 * HOUR);
    await jobs.runDue();
    expect(runs).toEqual([
      expect.objectContaining({
        id: record.id,
        name: 'follow-up',
        data: { userId: 'u-1', note: 'check in' },
        attempt: 1,
        scheduledAt: new Date('2026-01-01T02:00:00Z'),
      }),
    ]);
  });

  it('refuses a handler that is not registered', async () => {
    const { jobs } = createJobsWorld().instance();
    const error = await jobs
      .create({ handler: 'nobody', schedule: { type: 'interval', seconds: 60 } })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([
      { path: 'handler', message: expect.stringContaining('"nobody"') },
    ]);
  });

  it('refuses data that is not JSON, naming data', async () => {
    const { jobs } = createJobsWorld().instance();
    jobs.handle('h', async () => {});
    const error = await jobs
      .create({
        handler: 'h',
        schedule: { type: 'interval', seconds: 60 },
        data: { at: new Date() } as never,
      })
      .catch((caught: unknown) => caught);
    expect((error as ValidationError).issues[0]?.path).toMatch(/^data/);
  });

  it('is idempotent for an explicit id', async () => {
    const world = createJobsWorld();
    const { jobs } = world.instance();
    jobs.handle('h', async () => {});
    const input = {
      handler: 'h',
      id: 'reminder-42',
      schedule: { type: 'interval', seconds: 60 },
    } as const;
    const first = await jobs.create(input);
    world.clock.advance(30_000);
    const again = await jobs.create(input);
    expect(again.nextRunAt).toEqual(first.nextRunAt);
    expect(await jobs.list()).toHaveLength(1);
  });
});

describe('a job whose handler is not registered on this instance', () => {
  it('is left untouched for an instance that has the handler', async () => {
    const world = createJobsWorld();
    const owner = world.instance({ instanceId: 'new-version' });
    const stranger = world.instance({ instanceId: 'old-version', leaseMs: 10 * MINUTE });
    const runs: JobContext[] = [];
    owner.jobs.handle('v2-digest', async (job) => void runs.push(job));
    const job = await owner.jobs.create({
      handler: 'v2-digest',
      schedule: { type: 'once', executeAt: '2026-01-01T00:00:00Z' },
    });

    expect(await stranger.jobs.runDue()).toBe(0);
    const untouched = await stranger.jobs.get(job.id);
    expect(untouched).toMatchObject({ nextRunAt: job.nextRunAt, failures: 0 });
    expect(untouched?.lastRunAt).toBeUndefined();

    // The stranger's claim lapses after its lease; then the owner runs the job.
    expect(await owner.jobs.runDue()).toBe(0);
    world.clock.advance(10 * MINUTE);
    expect(await owner.jobs.runDue()).toBe(1);
    expect(runs).toHaveLength(1);
  });
});
