import { describe, expect, it } from 'vitest';
import { createJobsWorld, MINUTE } from './harness';

describe('several instances sharing a store', () => {
  it('run each tick of each job exactly once', async () => {
    const world = createJobsWorld();
    const instances = [world.instance(), world.instance(), world.instance()];
    const ticks: string[] = [];
    const names = ['every-minute', 'every-two-minutes', 'hourly-cron'];
    for (const { jobs } of instances) {
      const execute = async (job: { id: string; scheduledAt: Date }) => {
        // Yield so runs on different instances really interleave.
        await Promise.resolve();
        ticks.push(`${job.id}@${job.scheduledAt.toISOString()}`);
      };
      jobs.define({
        name: names[0] as string,
        schedule: { type: 'interval', seconds: 60 },
        execute,
      });
      jobs.define({
        name: names[1] as string,
        schedule: { type: 'interval', seconds: 120 },
        execute,
      });
      jobs.define({
        name: names[2] as string,
        schedule: { type: 'cron', expression: '0 * * * *' },
        execute,
      });
    }
    await Promise.all(instances.map(({ jobs }) => jobs.start()));

    const minutes = 180;
    for (let minute = 0; minute < minutes; minute += 1) {
      world.clock.advance(MINUTE);
      // Every instance polls at the same moment, twice, as timers on busy hosts would.
      await Promise.all(instances.flatMap(({ jobs }) => [jobs.runDue(), jobs.runDue()]));
    }

    expect(new Set(ticks).size).toBe(ticks.length);
    const count = (name: string) => ticks.filter((tick) => tick.startsWith(`${name}@`)).length;
    expect(count('every-minute')).toBe(minutes);
    expect(count('every-two-minutes')).toBe(minutes / 2);
    expect(count('hourly-cron')).toBe(minutes / 60);
    await Promise.all(instances.map(({ jobs }) => jobs.stop()));
  });

  it('let only one of many concurrent claims run a one-off job', async () => {
    const world = createJobsWorld();
    const instances = Array.from({ length: 8 }, () => world.instance());
    let runs = 0;
    for (const { jobs } of instances) {
      jobs.handle('send-once', async () => {
        runs += 1;
      });
    }
    const first = instances[0];
    await first?.jobs.create({
      handler: 'send-once',
      id: 'one-off',
      schedule: { type: 'once', executeAt: world.clock.date() },
    });
    const counts = await Promise.all(instances.map(({ jobs }) => jobs.runDue()));
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(1);
    expect(runs).toBe(1);
  });
});
