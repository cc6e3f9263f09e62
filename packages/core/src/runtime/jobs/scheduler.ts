import { randomUUID } from 'node:crypto';
import { parseInput, ValidationError } from '../../errors/validation';
import type { JobRecord } from '../../store/jobs';
import type { RuntimeContext } from '../context';
import type { JobsApi } from './api';
import {
  CreateJobInputSchema,
  HandlerOptionsSchema,
  type JobDefinition,
  JobDefinitionSchema,
  type RegisteredHandler,
} from './definition';
import { runClaimedJob } from './run';
import { firstRunAt, scheduleKey, toStoredSchedule } from './schedule';

export type { JobsApi } from './api';

/** Jobs claimed per store round-trip; `runDue` keeps claiming while batches come back full. */
const CLAIM_BATCH = 20;

/**
 * Added to the longest handler timeout when sizing a claim's lease: the time to record the
 * outcome after a timeout fires. A lease that ran out while its run was still going would let
 * another instance run the same tick a second time.
 */
const LEASE_GRACE_MS = 30_000;

/**
 * The job scheduler. A tick runs on whichever instance claims it in the store first (a lease),
 * so it runs once however many instances share the store. Only an owner that dies (or loses the
 * store) before recording the run lets its lease expire and the tick run again elsewhere.
 *
 * Missed ticks are not run as a backlog: a cron job whose instances were down for three days
 * runs once when one comes back, then on its next tick (see `nextRunAfter`).
 *
 * A job whose handler is not registered on this instance (created by another deployment, or
 * from a rolling deploy) may still be claimed, since `claimDue` cannot filter by handler. Such a
 * claim is left to expire untouched, so the job stays due for an instance that has the handler
 * and its record (last run, failures) is not falsified. The cost is a delay of up to one lease.
 *
 * @example
 * ```ts
 * const jobs = createJobs(ctx);
 * jobs.define({
 *   name: 'morning-reminders',
 *   schedule: { type: 'cron', expression: '0 9 * * *', timezone: 'Europe/London' },
 *   retry: { maxAttempts: 3, backoffSeconds: 120 },
 *   async execute() { await channels.send({ channel: 'whatsapp', to: { userId }, text: 'Good morning' }); },
 * });
 * jobs.handle('follow-up', async ({ data }) => { … });
 * await jobs.start();
 * await jobs.create({ handler: 'follow-up', schedule: { type: 'once', executeAt: inTwoHours }, data: { userId } });
 * ```
 */
export function createJobs(ctx: RuntimeContext): JobsApi {
  const handlers = new Map<string, RegisteredHandler>();
  const definitions = new Map<string, JobDefinition>();
  /** Store writes of jobs defined after start, awaited by `runDue` and `stop`. */
  const pendingDefines = new Set<Promise<void>>();
  /** Runs in progress on this instance. */
  const running = new Set<Promise<void>>();
  /** Foreign jobs already warned about, so a poll every second does not log every second. */
  const warnedForeign = new Set<string>();
  let timer: ReturnType<typeof setInterval> | undefined;
  let started = false;
  let polling: Promise<void> | undefined;

  function register(handler: RegisteredHandler, path: string): void {
    if (handlers.has(handler.name)) {
      throw new ValidationError('job', [
        {
          path,
          message: `a job or handler named ${JSON.stringify(handler.name)} is already registered on this instance`,
        },
      ]);
    }
    handlers.set(handler.name, handler);
  }

  async function persist(definition: JobDefinition): Promise<void> {
    await ctx.store.jobs.define({
      id: definition.name,
      handler: definition.name,
      schedule: toStoredSchedule(definition.schedule),
      scheduleKey: scheduleKey(definition.schedule),
      data: null,
      nextRunAt: firstRunAt(definition.schedule, new Date(ctx.clock.now())),
    });
  }

  function leaseMs(): number {
    let longest = 0;
    for (const handler of handlers.values()) {
      longest = Math.max(longest, handler.timeoutSeconds * 1000);
    }
    return Math.max(ctx.options.jobs.leaseMs, longest + LEASE_GRACE_MS);
  }

  function startRun(job: JobRecord): Promise<void> | undefined {
    const handler = handlers.get(job.handler);
    if (!handler) {
      if (!warnedForeign.has(job.id)) {
        warnedForeign.add(job.id);
        ctx.logger.warn(
          { jobId: job.id, handler: job.handler, instanceId: ctx.instanceId },
          'job handler not registered on this instance; leaving the job for an instance that has it',
        );
      }
      return undefined;
    }
    const run = runClaimedJob(ctx, job, handler).catch((error: unknown) =>
      ctx.reportError(error, { phase: 'job', jobId: job.id }),
    );
    running.add(run);
    void run.then(() => running.delete(run));
    return run;
  }

  /** Claims every due job and starts its run; resolves with the runs once nothing more is due. */
  async function claimAndStart(): Promise<Promise<void>[]> {
    await Promise.all(pendingDefines);
    const runs: Promise<void>[] = [];
    for (;;) {
      const claimed = await ctx.store.jobs.claimDue({
        owner: ctx.instanceId,
        limit: CLAIM_BATCH,
        leaseMs: leaseMs(),
      });
      for (const job of claimed) {
        const run = startRun(job);
        if (run) runs.push(run);
      }
      if (claimed.length < CLAIM_BATCH) return runs;
    }
  }

  function poll(): void {
    // Only the claiming is skipped while a previous claim is in flight (a slow store should not
    // pile up queries); runs are not waited for, so a long job never delays the others.
    if (polling) return;
    polling = claimAndStart()
      .then(
        () => undefined,
        (error: unknown) => ctx.reportError(error, { phase: 'job' }),
      )
      .finally(() => {
        polling = undefined;
      });
  }

  return {
    define(input) {
      const parsed = parseInput(JobDefinitionSchema, input, 'job definition');
      const definition: JobDefinition = Object.freeze({
        name: parsed.name,
        description: parsed.description,
        schedule: parsed.schedule,
        timeout: parsed.timeout,
        retry: parsed.retry,
        metadata: parsed.metadata,
      });
      register(
        {
          name: parsed.name,
          execute: parsed.execute,
          timeoutSeconds: parsed.timeout,
          retry: parsed.retry,
          metadata: parsed.metadata,
        },
        'name',
      );
      definitions.set(definition.name, definition);
      if (started) {
        const write = persist(definition).catch((error: unknown) =>
          ctx.reportError(error, { phase: 'job', jobId: definition.name }),
        );
        pendingDefines.add(write);
        void write.then(() => pendingDefines.delete(write));
      }
      return definition;
    },

    handle(name, execute, options) {
      const parsed = parseInput(
        HandlerOptionsSchema.extend({ name: JobDefinitionSchema.shape.name }),
        { ...options, name },
        'job handler',
      );
      if (typeof execute !== 'function') {
        throw new ValidationError('job handler', [
          { path: 'execute', message: 'expected a function (job) => …' },
        ]);
      }
      register(
        {
          name: parsed.name,
          execute,
          timeoutSeconds: parsed.timeout,
          retry: parsed.retry,
          metadata: {},
        },
        'name',
      );
    },

    async create(input) {
      const parsed = parseInput(CreateJobInputSchema, input, 'job');
      if (!handlers.has(parsed.handler)) {
        throw new ValidationError('job', [
          {
            path: 'handler',
            message: `no handler named ${JSON.stringify(parsed.handler)} is registered (use jobs.handle or jobs.define)`,
          },
        ]);
      }
      if (parsed.id !== undefined && definitions.has(parsed.id)) {
        throw new ValidationError('job', [
          {
            path: 'id',
            message: `${JSON.stringify(parsed.id)} is the name of a static job defined with jobs.define`,
          },
        ]);
      }
      return ctx.store.jobs.define({
        id: parsed.id ?? randomUUID(),
        handler: parsed.handler,
        schedule: toStoredSchedule(parsed.schedule),
        scheduleKey: scheduleKey(parsed.schedule),
        data: parsed.data ?? null,
        nextRunAt: firstRunAt(parsed.schedule, new Date(ctx.clock.now())),
      });
    },

    cancel: (id) => ctx.store.jobs.delete(id),
    get: (id) => ctx.store.jobs.get(id),
    list: () => ctx.store.jobs.list(),

    async runDue() {
      const runs = await claimAndStart();
      await Promise.all(runs);
      return runs.length;
    },

    async start() {
      if (started) return;
      // Set first so a second start() meanwhile is a no-op and a define() meanwhile writes itself.
      started = true;
      try {
        await Promise.all([...definitions.values()].map(persist));
      } catch (error) {
        started = false;
        throw error;
      }
      timer = setInterval(poll, ctx.options.jobs.pollIntervalMs);
      timer.unref?.();
      // Jobs that fell due while no instance ran go now, not one poll interval later.
      poll();
    },

    async stop() {
      started = false;
      if (timer) clearInterval(timer);
      timer = undefined;
      // A claim in flight may still start runs, so wait for it before waiting for the runs.
      while (polling || pendingDefines.size > 0 || running.size > 0) {
        await Promise.all([polling, ...pendingDefines, ...running]);
      }
    },
  };
}
