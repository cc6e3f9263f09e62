import type { JsonObject, JsonValue } from '../message/json';
import type { WorkLease } from './deliveries';

/** A scheduled job as stored: static (defined in code) or created at run time. */
export interface JobRecord {
  id: string;
  /** The name of the registered handler that runs it. */
  handler: string;
  /** The schedule as given (`{ type: 'cron', expression }`, `{ type: 'once', executeAt }`, …). */
  schedule: JsonObject;
  /** A canonical string of the schedule: when it changes, the next run is recomputed. */
  scheduleKey: string;
  data: JsonValue;
  /** When it is next due; `null` once a one-off job has run. */
  nextRunAt: Date | null;
  lastRunAt?: Date;
  lastError?: string;
  /** Runs that failed in a row (reset by a success). */
  failures: number;
  lease: WorkLease | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Input to {@link JobStore.define}. */
export interface NewJob {
  id: string;
  handler: string;
  schedule: JsonObject;
  scheduleKey: string;
  data?: JsonValue;
  nextRunAt: Date | null;
}

/** Durable job schedules, so a tick runs once across instances and survives restarts. */
export interface JobStore {
  /**
   * Creates the job, or, if it exists with the same `scheduleKey`, leaves it as it is (a `once`
   * job that fell due while every instance was down stays due). A different `scheduleKey`
   * replaces the handler, schedule, data and `nextRunAt`, and keeps `createdAt`, `failures` and
   * any lease (a run under way still completes as its owner).
   */
  define(input: NewJob): Promise<JobRecord>;
  get(id: string): Promise<JobRecord | null>;
  list(): Promise<JobRecord[]>;
  delete(id: string): Promise<boolean>;
  /**
   * Leases up to `limit` jobs due now (lease absent or expired), earliest `nextRunAt` first, and
   * returns them in that order. Never the same job to two callers.
   */
  claimDue(input: { owner: string; limit: number; leaseMs: number }): Promise<JobRecord[]>;
  /**
   * Ends a run: records `lastRunAt`, the error (or clears it), the next due time (`null`: never
   * again) and ends the lease. `false` when `owner` no longer holds the lease.
   */
  complete(
    id: string,
    input: { owner: string; ranAt: Date; nextRunAt: Date | null; error?: string },
  ): Promise<boolean>;
}
