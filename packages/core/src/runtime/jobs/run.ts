import type { JobRecord } from '../../store/jobs';
import type { RuntimeContext } from '../context';
import type { JobContext, RegisteredHandler } from './definition';
import { JobTimeoutError } from './errors';
import { JobScheduleSchema, nextRunAfter } from './schedule';

/** `JobRecord.lastError` is for a person reading a list; a stack trace belongs in the logs. */
const MAX_STORED_ERROR_LENGTH = 2_000;

function errorText(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.length > MAX_STORED_ERROR_LENGTH
    ? `${text.slice(0, MAX_STORED_ERROR_LENGTH)}…`
    : text;
}

/**
 * Calls the handler, aborting its signal and giving up on it after `timeoutSeconds`. Resolves to
 * the error, or `undefined` on success; never rejects (a synchronous throw counts as a failure).
 */
async function invoke(
  handler: RegisteredHandler,
  job: Omit<JobContext, 'signal'>,
): Promise<{ error: unknown } | undefined> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new JobTimeoutError(job.id, handler.timeoutSeconds);
      controller.abort(error);
      reject(error);
    }, handler.timeoutSeconds * 1000);
  });
  try {
    // race() also subscribes to the handler's promise, so a rejection after the timeout is not unhandled.
    await Promise.race([
      Promise.resolve().then(() => handler.execute({ ...job, signal: controller.signal })),
      timedOut,
    ]);
    return undefined;
  } catch (error) {
    return { error };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs one job this instance has claimed, then ends the claim with the next due time.
 *
 * Attempts: `failures` counts failed runs in a row, and a tick that gives up records its last
 * failure too, so each tick uses exactly `maxAttempts` failures; `failures % maxAttempts` is the
 * number of failed attempts of the current tick. That keeps the attempt number in the store, where
 * every instance sees it, without a field of its own.
 */
export async function runClaimedJob(
  ctx: RuntimeContext,
  job: JobRecord,
  handler: RegisteredHandler,
): Promise<void> {
  const owner = ctx.instanceId;
  const parsed = JobScheduleSchema.safeParse(job.schedule);
  if (!parsed.success) {
    // Written by another version or by hand: running it on a guessed schedule could repeat it forever.
    const error = new Error(`stored schedule of job ${JSON.stringify(job.id)} is invalid`, {
      cause: parsed.error,
    });
    ctx.reportError(error, { phase: 'job', jobId: job.id });
    await ctx.store.jobs.complete(job.id, {
      owner,
      ranAt: new Date(ctx.clock.now()),
      nextRunAt: null,
      error: errorText(error),
    });
    return;
  }
  const schedule = parsed.data;
  const maxAttempts = handler.retry?.maxAttempts ?? 1;
  const attempt = (job.failures % maxAttempts) + 1;
  // claimDue only returns jobs that are due, so nextRunAt is set; the fallback is for a bad store.
  const scheduledAt = job.nextRunAt ?? new Date(ctx.clock.now());
  const startedAt = ctx.clock.now();

  const failed = await invoke(handler, {
    id: job.id,
    name: handler.name,
    data: job.data,
    scheduledAt,
    attempt,
    metadata: handler.metadata,
  });

  const now = new Date(ctx.clock.now());
  const willRetry = failed !== undefined && attempt < maxAttempts;
  const nextRunAt = willRetry
    ? new Date(now.getTime() + (handler.retry?.backoffSeconds ?? 0) * 1000)
    : nextRunAfter(schedule, { scheduledAt, now });
  const completed = await ctx.store.jobs.complete(job.id, {
    owner,
    ranAt: now,
    nextRunAt,
    ...(failed === undefined ? {} : { error: errorText(failed.error) }),
  });
  if (!completed) {
    ctx.logger.warn(
      { jobId: job.id },
      'job lease lost before completion (cancelled, or the run outlived its lease)',
    );
  }

  if (failed === undefined) {
    ctx.events.emit('job.completed', {
      jobId: job.id,
      handler: handler.name,
      durationMs: now.getTime() - startedAt,
    });
    return;
  }
  ctx.logger.warn(
    {
      jobId: job.id,
      attempt,
      maxAttempts,
      nextRunAt: nextRunAt?.toISOString() ?? null,
      error: errorText(failed.error),
    },
    willRetry ? 'job run failed; retrying' : 'job run failed',
  );
  ctx.events.emit('job.failed', {
    jobId: job.id,
    handler: handler.name,
    error: failed.error,
    attempt,
    willRetry,
  });
  ctx.reportError(failed.error, { phase: 'job', jobId: job.id });
}
