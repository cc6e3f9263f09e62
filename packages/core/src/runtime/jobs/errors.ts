import { ERROR_BRAND } from '../../errors/brand';
import { ThreadlineError } from '../../errors/threadline-error';

/**
 * A job run took longer than its `timeout`. The run's `signal` is aborted with this error and the
 * run counts as failed (retried if the job has `retry`). A handler that ignores the signal keeps
 * running in the background: JavaScript cannot stop it, only stop waiting for it.
 *
 * @example
 * ```ts
 * threadline.on('job.failed', ({ error }) => {
 *   if (error instanceof JobTimeoutError) metrics.increment('job.timeout');
 * });
 * ```
 */
export class JobTimeoutError extends ThreadlineError {
  static override readonly [ERROR_BRAND]: string = 'JobTimeoutError';
  override name = 'JobTimeoutError';
  readonly jobId: string;
  readonly timeoutSeconds: number;

  constructor(jobId: string, timeoutSeconds: number) {
    super(`Job ${JSON.stringify(jobId)} did not finish within ${timeoutSeconds} s`, {
      code: 'job_timeout',
      // No category fits a run that overran; `unknown` is the catch-all (see errors/categories.ts).
      category: 'unknown',
      retryable: true,
    });
    this.jobId = jobId;
    this.timeoutSeconds = timeoutSeconds;
  }
}
