import { describe, expect, it } from 'vitest';
import { hourlyJob, JOB_LEASE, MINUTE } from './fixtures';
import type { StoreHarness } from './harness';

/**
 * `JobStore`, beyond the basics in jobs.ts: what a changed schedule replaces and keeps, the
 * order `claimDue` takes due jobs in, and `complete` of a job nobody holds.
 */
export function describeJobRules(h: StoreHarness): void {
  const claim = (owner: string, limit = 100) =>
    h.store.jobs.claimDue({ owner, limit, leaseMs: JOB_LEASE });

  describe('job rules', () => {
    it('define with a changed scheduleKey replaces handler and data, and keeps createdAt, failures and the lease', async () => {
      const created = await h.store.jobs.define(hourlyJob('digest', h.clock.date()));
      await claim('instance-a');
      await h.store.jobs.complete('digest', {
        owner: 'instance-a',
        ranAt: h.clock.date(),
        nextRunAt: h.clock.date(),
        error: 'boom',
      });
      const [running] = await claim('instance-a');
      h.clock.advance(MINUTE);
      const nextRunAt = new Date(h.clock.now() + 24 * 60 * MINUTE);
      const daily = await h.store.jobs.define({
        ...hourlyJob('digest', nextRunAt),
        handler: 'daily-digest',
        schedule: { type: 'cron', expression: '0 9 * * *' },
        scheduleKey: 'cron:0 9 * * *',
        data: { audience: 'staff' },
      });
      expect(daily).toMatchObject({
        handler: 'daily-digest',
        data: { audience: 'staff' },
        nextRunAt,
        failures: 1,
        lease: running?.lease,
        createdAt: created.createdAt,
        updatedAt: h.clock.date(),
      });
      expect(await h.store.jobs.get('digest')).toEqual(daily);
    });

    it('define with a changed scheduleKey and nextRunAt null leaves the job never due', async () => {
      await h.store.jobs.define(hourlyJob('digest', h.clock.date()));
      const paused = await h.store.jobs.define({
        ...hourlyJob('digest', null),
        scheduleKey: 'paused',
      });
      expect(paused).toMatchObject({ scheduleKey: 'paused', nextRunAt: null });
      h.clock.advance(365 * 24 * 60 * MINUTE);
      expect(await claim('instance-a')).toEqual([]);
    });

    it('claimDue takes the earliest nextRunAt first, up to limit, and returns them in that order', async () => {
      const ago = (minutes: number) => new Date(h.clock.now() - minutes * MINUTE);
      await h.store.jobs.define(hourlyJob('late', ago(1)));
      await h.store.jobs.define(hourlyJob('early', ago(3)));
      await h.store.jobs.define(hourlyJob('middle', ago(2)));
      expect((await claim('instance-a', 2)).map((job) => job.id)).toEqual(['early', 'middle']);
      expect((await claim('instance-a', 2)).map((job) => job.id)).toEqual(['late']);
    });

    it('complete of a job nobody has claimed is false and changes nothing', async () => {
      const job = await h.store.jobs.define(hourlyJob('digest', h.clock.date()));
      const done = { owner: 'instance-a', ranAt: h.clock.date(), nextRunAt: null };
      expect(await h.store.jobs.complete('digest', done)).toBe(false);
      expect(await h.store.jobs.get('digest')).toEqual(job);
    });
  });
}
