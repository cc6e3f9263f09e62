import {
  checkCount,
  checkDuration,
  type JobRecord,
  type JobStore,
  type JsonObject,
} from '@threadline/core';
import type { Row } from './database';
import { date, json, optionalDate, optionalText, put, type StoreContext, text } from './rows';

function toJob(row: Row): JobRecord {
  const leaseOwner = optionalText(row, 'lease_owner');
  const job: JobRecord = {
    id: text(row, 'id'),
    handler: text(row, 'handler'),
    schedule: json<JsonObject>(row, 'schedule') ?? {},
    scheduleKey: text(row, 'schedule_key'),
    data: json(row, 'data') ?? null,
    nextRunAt: optionalDate(row, 'next_run_at'),
    failures: row.failures as number,
    lease:
      leaseOwner === undefined
        ? null
        : { owner: leaseOwner, expiresAt: date(row, 'lease_expires_at') },
    createdAt: date(row, 'created_at'),
    updatedAt: date(row, 'updated_at'),
  };
  put(job, 'lastRunAt', optionalDate(row, 'last_run_at') ?? undefined);
  put(job, 'lastError', optionalText(row, 'last_error'));
  return job;
}

/**
 * Job schedules. `define` runs at every start of every instance, so with an unchanged
 * `scheduleKey` it keeps the row as it is (its `nextRunAt`, and any lease of a run in progress).
 */
export function createJobStore(ctx: StoreContext): JobStore {
  function read(id: string): JobRecord | null {
    const row = ctx.db.get('SELECT * FROM jobs WHERE id = ?', [id]);
    return row === undefined ? null : toJob(row);
  }

  return {
    async define(input) {
      const now = ctx.clock.now();
      const values = [
        input.handler,
        JSON.stringify(input.schedule),
        input.scheduleKey,
        JSON.stringify(input.data ?? null),
        input.nextRunAt?.getTime() ?? null,
      ];
      ctx.db.run(
        `INSERT INTO jobs (id, handler, schedule, schedule_key, data, next_run_at, failures,
           created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)
         ON CONFLICT (id) DO UPDATE SET handler = excluded.handler, schedule = excluded.schedule,
           schedule_key = excluded.schedule_key, data = excluded.data,
           next_run_at = excluded.next_run_at, updated_at = excluded.updated_at
         WHERE jobs.schedule_key <> excluded.schedule_key`,
        [input.id, ...values, now, now],
      );
      return read(input.id) as JobRecord;
    },

    async get(id) {
      return read(id);
    },

    async list() {
      return ctx.db.all('SELECT * FROM jobs ORDER BY rowid').map(toJob);
    },

    async delete(id) {
      return ctx.db.run('DELETE FROM jobs WHERE id = ?', [id]) > 0;
    },

    async claimDue({ owner, limit, leaseMs }) {
      checkCount(limit, 'limit', 'job claim');
      checkDuration(leaseMs, 'leaseMs');
      const now = ctx.clock.now();
      return ctx.db.transaction(() => {
        const due = ctx.db.all(
          `SELECT id FROM jobs WHERE next_run_at <= ?
             AND (lease_owner IS NULL OR lease_expires_at <= ?)
           ORDER BY next_run_at, rowid LIMIT ?`,
          [now, now, limit],
        );
        for (const row of due) {
          ctx.db.run(
            'UPDATE jobs SET lease_owner = ?, lease_expires_at = ?, updated_at = ? WHERE id = ?',
            [owner, now + leaseMs, now, row.id as string],
          );
        }
        return due.map((row) => read(row.id as string) as JobRecord);
      });
    },

    async complete(id, { owner, ranAt, nextRunAt, error }) {
      return (
        ctx.db.run(
          `UPDATE jobs SET last_run_at = ?, last_error = ?,
             failures = CASE WHEN ? IS NULL THEN 0 ELSE failures + 1 END,
             next_run_at = ?, lease_owner = NULL, lease_expires_at = NULL, updated_at = ?
           WHERE id = ? AND lease_owner = ?`,
          [ranAt.getTime(), error, error, nextRunAt?.getTime() ?? null, ctx.clock.now(), id, owner],
        ) > 0
      );
    },
  };
}
