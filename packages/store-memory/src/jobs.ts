import { checkCount, checkDuration, type JobRecord, type JobStore } from '@threadline/core';
import { copy } from './copy';
import { isExpired, type MemoryState, now } from './state';

/**
 * Job schedules. `define` runs at every start of every instance, so it must be idempotent: with an
 * unchanged `scheduleKey` it keeps `nextRunAt` (a one-off that fell due while all instances were
 * down stays due) and any lease (a run in progress elsewhere).
 *
 * @example
 * ```ts
 * await store.jobs.define({ id: 'digest', handler: 'digest', schedule: { type: 'interval', everyMs: 3_600_000 },
 *   scheduleKey: 'interval:3600000', nextRunAt: new Date() });
 * const due = await store.jobs.claimDue({ owner: 'instance-a', limit: 5, leaseMs: 60_000 });
 * ```
 */
export function createJobStore(state: MemoryState): JobStore {
  return {
    async define(input) {
      const existing = state.jobs.get(input.id);
      const at = now(state);
      if (existing !== undefined && existing.scheduleKey === input.scheduleKey) {
        return copy(existing);
      }
      if (existing !== undefined) {
        // A new schedule: the old next run means nothing now. The lease stays, so a run already
        // under way elsewhere still completes as its owner.
        existing.handler = input.handler;
        existing.schedule = copy(input.schedule);
        existing.scheduleKey = input.scheduleKey;
        existing.data = copy(input.data ?? null);
        existing.nextRunAt = input.nextRunAt === null ? null : new Date(input.nextRunAt.getTime());
        existing.updatedAt = at;
        return copy(existing);
      }
      const job: JobRecord = {
        id: input.id,
        handler: input.handler,
        schedule: copy(input.schedule),
        scheduleKey: input.scheduleKey,
        data: copy(input.data ?? null),
        nextRunAt: input.nextRunAt === null ? null : new Date(input.nextRunAt.getTime()),
        failures: 0,
        lease: null,
        createdAt: at,
        updatedAt: at,
      };
      state.jobs.set(job.id, job);
      return copy(job);
    },

    async get(id) {
      const job = state.jobs.get(id);
      return job === undefined ? null : copy(job);
    },

    async list() {
      return copy([...state.jobs.values()]);
    },

    async delete(id) {
      return state.jobs.delete(id);
    },

    async claimDue({ owner, limit, leaseMs }) {
      checkCount(limit, 'limit', 'job claim');
      checkDuration(leaseMs, 'leaseMs');
      const nowMs = state.clock.now();
      const due = [...state.jobs.values()]
        .filter(
          (job) =>
            job.nextRunAt !== null &&
            job.nextRunAt.getTime() <= nowMs &&
            (job.lease === null || isExpired(state, job.lease.expiresAt)),
        )
        .sort((a, b) => (a.nextRunAt?.getTime() ?? 0) - (b.nextRunAt?.getTime() ?? 0))
        .slice(0, limit);
      for (const job of due) {
        job.lease = { owner, expiresAt: new Date(nowMs + leaseMs) };
        job.updatedAt = new Date(nowMs);
      }
      return copy(due);
    },

    async complete(id, { owner, ranAt, nextRunAt, error }) {
      const job = state.jobs.get(id);
      if (job === undefined || job.lease?.owner !== owner) return false;
      job.lastRunAt = new Date(ranAt.getTime());
      if (error === undefined) {
        delete job.lastError;
        job.failures = 0;
      } else {
        job.lastError = error;
        job.failures += 1;
      }
      job.nextRunAt = nextRunAt === null ? null : new Date(nextRunAt.getTime());
      job.lease = null;
      job.updatedAt = now(state);
      return true;
    },
  };
}
