import { checkCount, checkDuration, type JobRecord, type JobStore } from '@threadline/core';
import type { Database } from './database';
import {
  jsonParam,
  type Row,
  timeParam,
  toDate,
  toDateOrNull,
  toNumber,
  withOptional,
} from './rows';

/** A `jobs` row as a JobRecord. */
function toJob(row: Row): JobRecord {
  const job: JobRecord = {
    id: String(row.id),
    handler: String(row.handler),
    schedule: row.schedule as JobRecord['schedule'],
    scheduleKey: String(row.schedule_key),
    data: (row.data ?? null) as JobRecord['data'],
    nextRunAt: toDateOrNull(row.next_run_at),
    failures: toNumber(row.failures),
    lease:
      row.lease_owner === null
        ? null
        : { owner: String(row.lease_owner), expiresAt: toDate(row.lease_expires_at) },
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
  withOptional(job, row, { last_run_at: 'lastRunAt' }, toDate);
  return withOptional(job, row, { last_error: 'lastError' });
}

/**
 * Job schedules in `jobs`. `define` runs at every start of every instance, so it is one upsert
 * that changes the row only when the `scheduleKey` differs: an unchanged schedule keeps its
 * `next_run_at` (a one-off that fell due while every instance was down stays due) and its lease
 * (a run in progress elsewhere). `claimDue` is the outbox's `FOR UPDATE SKIP LOCKED` again.
 *
 * @example
 * ```ts
 * await store.jobs.define({ id: 'digest', handler: 'digest', schedule: { type: 'interval', everyMs: 3_600_000 },
 *   scheduleKey: 'interval:3600000', nextRunAt: new Date() });
 * const due = await store.jobs.claimDue({ owner: 'instance-a', limit: 5, leaseMs: 60_000 });
 * ```
 */
export function createJobStore(db: Database): JobStore {
  const n = db.names;
  return {
    async define(input) {
      const [changed] = await db.query(
        'jobs.define',
        `INSERT INTO ${n.jobs} AS j (id, handler, schedule, schedule_key, data, next_run_at,
           created_at, updated_at)
         VALUES ($1, $2, $3::jsonb, $4, $5::jsonb, $6, $7, $7)
         ON CONFLICT (id) DO UPDATE SET handler = excluded.handler, schedule = excluded.schedule,
           schedule_key = excluded.schedule_key, data = excluded.data,
           next_run_at = excluded.next_run_at, updated_at = excluded.updated_at
         WHERE j.schedule_key <> excluded.schedule_key
         RETURNING *`,
        [
          input.id,
          input.handler,
          jsonParam(input.schedule),
          input.scheduleKey,
          jsonParam(input.data ?? null),
          timeParam(input.nextRunAt),
          timeParam(db.now()),
        ],
      );
      if (changed !== undefined) return toJob(changed);
      const [kept] = await db.query('jobs.define', `SELECT * FROM ${n.jobs} WHERE id = $1`, [
        input.id,
      ]);
      return toJob(kept as Row);
    },

    async get(id) {
      const [row] = await db.query('jobs.get', `SELECT * FROM ${n.jobs} WHERE id = $1`, [id]);
      return row === undefined ? null : toJob(row);
    },

    async list() {
      const rows = await db.query('jobs.list', `SELECT * FROM ${n.jobs} ORDER BY created_at, id`);
      return rows.map(toJob);
    },

    async delete(id) {
      const rows = await db.query(
        'jobs.delete',
        `DELETE FROM ${n.jobs} WHERE id = $1 RETURNING id`,
        [id],
      );
      return rows.length === 1;
    },

    async claimDue({ owner, limit, leaseMs }) {
      checkCount(limit, 'limit', 'job claim');
      checkDuration(leaseMs, 'leaseMs', 'lease');
      const now = db.now();
      const rows = await db.query(
        'jobs.claimDue',
        `WITH due AS (
           SELECT id FROM ${n.jobs}
           WHERE next_run_at <= $1 AND (lease_expires_at IS NULL OR lease_expires_at <= $1)
           ORDER BY next_run_at, id LIMIT $2
           FOR UPDATE SKIP LOCKED)
         UPDATE ${n.jobs} j SET lease_owner = $3, lease_expires_at = $4, updated_at = $1
         FROM due WHERE j.id = due.id RETURNING j.*`,
        [timeParam(now), limit, owner, timeParam(new Date(now.getTime() + leaseMs))],
      );
      return rows
        .map(toJob)
        .sort((a, b) => (a.nextRunAt?.getTime() ?? 0) - (b.nextRunAt?.getTime() ?? 0));
    },

    async complete(id, { owner, ranAt, nextRunAt, error }) {
      // The owner of an expired lease nobody re-took may still finish: its run did happen.
      const rows = await db.query(
        'jobs.complete',
        `UPDATE ${n.jobs} SET last_run_at = $3, last_error = $4,
           failures = CASE WHEN $4::text IS NULL THEN 0 ELSE failures + 1 END,
           next_run_at = $5, lease_owner = NULL, lease_expires_at = NULL, updated_at = $6
         WHERE id = $1 AND lease_owner = $2 RETURNING id`,
        [id, owner, timeParam(ranAt), error ?? null, timeParam(nextRunAt), timeParam(db.now())],
      );
      return rows.length === 1;
    },
  };
}
