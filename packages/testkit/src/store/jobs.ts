import type { NewJob } from '@threadline/core';
import { describe, expect, it } from 'vitest';
import { hourlyJob, JOB_LEASE, MINUTE } from './fixtures';
import type { StoreHarness } from './harness';

/** `JobStore`: define, get, list, delete, claimDue, complete. */
export function describeJobs(h: StoreHarness): void {
  const claim = (owner: string, limit = 100) =>
    h.store.jobs.claimDue({ owner, limit, leaseMs: JOB_LEASE });

  describe('jobs', () => {
    it('define creates a job with no failures and no lease, and get returns it', async () => {
      const due = h.clock.date();
      const job = await h.store.jobs.define(hourlyJob('digest', due));
      expect(job).toMatchObject({
        id: 'digest',
        handler: 'digest',
        schedule: { type: 'interval', everyMs: 60 * MINUTE },
        scheduleKey: 'interval:3600000',
        data: { audience: 'all' },
        nextRunAt: due,
        failures: 0,
        lease: null,
        createdAt: h.clock.date(),
      });
      expect(await h.store.jobs.get('digest')).toEqual(job);
      expect(await h.store.jobs.get('no-such-job')).toBeNull();
    });

    it('define with the same scheduleKey keeps nextRunAt and the lease', async () => {
      const due = h.clock.date();
      await h.store.jobs.define(hourlyJob('digest', due));
      const [claimed] = await claim('instance-a');
      h.clock.advance(MINUTE);
      const redefined = await h.store.jobs.define(
        hourlyJob('digest', new Date(h.clock.now() + 60 * MINUTE)),
      );
      expect(redefined.nextRunAt).toEqual(due);
      expect(redefined.lease).toEqual(claimed?.lease);
      expect(await claim('instance-b')).toEqual([]);
    });

    it('a one-off job that fell due while every instance was down stays due after define', async () => {
      const executeAt = new Date(h.clock.now() + MINUTE);
      const once: NewJob = {
        id: 'reminder',
        handler: 'remind',
        schedule: { type: 'once', executeAt: executeAt.toISOString() },
        scheduleKey: `once:${executeAt.toISOString()}`,
        nextRunAt: executeAt,
      };
      await h.store.jobs.define(once);
      h.clock.advance(60 * MINUTE);
      await h.store.jobs.define(once);
      expect((await claim('instance-a')).map((job) => job.id)).toEqual(['reminder']);
    });

    it('define with a changed scheduleKey replaces the schedule and nextRunAt', async () => {
      await h.store.jobs.define(hourlyJob('digest', h.clock.date()));
      const nextRunAt = new Date(h.clock.now() + 24 * 60 * MINUTE);
      const daily = await h.store.jobs.define({
        ...hourlyJob('digest', nextRunAt),
        schedule: { type: 'cron', expression: '0 9 * * *' },
        scheduleKey: 'cron:0 9 * * *',
      });
      expect(daily).toMatchObject({
        schedule: { type: 'cron', expression: '0 9 * * *' },
        scheduleKey: 'cron:0 9 * * *',
        nextRunAt,
      });
      expect(await claim('instance-a')).toEqual([]);
    });

    it('list returns every job; delete removes one and says whether it existed', async () => {
      await h.store.jobs.define(hourlyJob('a', h.clock.date()));
      await h.store.jobs.define(hourlyJob('b', null));
      expect((await h.store.jobs.list()).map((job) => job.id).sort()).toEqual(['a', 'b']);
      expect(await h.store.jobs.delete('a')).toBe(true);
      expect(await h.store.jobs.delete('a')).toBe(false);
      expect(await h.store.jobs.get('a')).toBeNull();
      expect((await h.store.jobs.list()).map((job) => job.id)).toEqual(['b']);
    });

    it('claimDue leases due jobs only, and not again while the lease is live', async () => {
      await h.store.jobs.define(hourlyJob('due', h.clock.date()));
      await h.store.jobs.define(hourlyJob('later', new Date(h.clock.now() + MINUTE)));
      await h.store.jobs.define(hourlyJob('never', null));
      const claimed = await claim('instance-a');
      expect(claimed.map((job) => job.id)).toEqual(['due']);
      expect(claimed[0]?.lease).toEqual({
        owner: 'instance-a',
        expiresAt: new Date(h.clock.now() + JOB_LEASE),
      });
      expect(await claim('instance-b')).toEqual([]);
      h.clock.advance(MINUTE);
      expect((await claim('instance-b')).map((job) => job.id)).toEqual(['later']);
    });

    it('concurrent claimDue callers never get the same job', async () => {
      for (let index = 0; index < 30; index += 1) {
        await h.store.jobs.define(
          hourlyJob(`job-${index}`, new Date(h.clock.now() - index * 1_000)),
        );
      }
      const batches = await Promise.all(['a', 'b', 'c', 'd'].map((owner) => claim(owner, 10)));
      const ids = batches.flat().map((job) => job.id);
      expect(ids).toHaveLength(30);
      expect(new Set(ids).size).toBe(30);
    });

    it('an expired job lease can be claimed by another owner, and the old owner can no longer complete', async () => {
      await h.store.jobs.define(hourlyJob('digest', h.clock.date()));
      await claim('instance-a');
      h.clock.advance(JOB_LEASE + 1);
      const [retaken] = await claim('instance-b');
      expect(retaken?.lease?.owner).toBe('instance-b');
      const done = { ranAt: h.clock.date(), nextRunAt: new Date(h.clock.now() + 60 * MINUTE) };
      expect(await h.store.jobs.complete('digest', { owner: 'instance-a', ...done })).toBe(false);
      expect(await h.store.jobs.complete('digest', { owner: 'instance-b', ...done })).toBe(true);
    });

    it('complete records the run, sets the next due time and ends the lease', async () => {
      await h.store.jobs.define(hourlyJob('digest', h.clock.date()));
      await claim('instance-a');
      const ranAt = h.clock.date();
      const nextRunAt = new Date(h.clock.now() + 60 * MINUTE);
      expect(await h.store.jobs.complete('digest', { owner: 'instance-a', ranAt, nextRunAt })).toBe(
        true,
      );
      expect(await h.store.jobs.get('digest')).toMatchObject({
        lastRunAt: ranAt,
        nextRunAt,
        lease: null,
        failures: 0,
      });
      h.clock.advance(60 * MINUTE);
      expect((await claim('instance-b')).map((job) => job.id)).toEqual(['digest']);
    });

    it('a failed run records the error and counts failures in a row; a success resets them', async () => {
      await h.store.jobs.define(hourlyJob('digest', h.clock.date()));
      for (const attempt of [1, 2]) {
        await claim('instance-a');
        await h.store.jobs.complete('digest', {
          owner: 'instance-a',
          ranAt: h.clock.date(),
          nextRunAt: h.clock.date(),
          error: `boom ${attempt}`,
        });
      }
      expect(await h.store.jobs.get('digest')).toMatchObject({ failures: 2, lastError: 'boom 2' });
      await claim('instance-a');
      await h.store.jobs.complete('digest', {
        owner: 'instance-a',
        ranAt: h.clock.date(),
        nextRunAt: null,
      });
      const healed = await h.store.jobs.get('digest');
      expect(healed?.failures).toBe(0);
      expect(healed?.lastError).toBeUndefined();
    });

    it('complete by a non-owner, or of an unknown job, is false and changes nothing', async () => {
      await h.store.jobs.define(hourlyJob('digest', h.clock.date()));
      await claim('instance-a');
      const before = await h.store.jobs.get('digest');
      const done = { ranAt: h.clock.date(), nextRunAt: null };
      expect(await h.store.jobs.complete('digest', { owner: 'intruder', ...done })).toBe(false);
      expect(await h.store.jobs.complete('no-such-job', { owner: 'instance-a', ...done })).toBe(
        false,
      );
      expect(await h.store.jobs.get('digest')).toEqual(before);
    });

    it('a job completed with nextRunAt null is never claimed again', async () => {
      await h.store.jobs.define(hourlyJob('once', h.clock.date()));
      await claim('instance-a');
      await h.store.jobs.complete('once', {
        owner: 'instance-a',
        ranAt: h.clock.date(),
        nextRunAt: null,
      });
      h.clock.advance(365 * 24 * 60 * MINUTE);
      expect(await claim('instance-b')).toEqual([]);
      expect((await h.store.jobs.get('once'))?.nextRunAt).toBeNull();
    });
  });
}
