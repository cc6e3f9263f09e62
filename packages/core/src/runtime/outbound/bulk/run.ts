import type { RuntimeContext } from '../../context';
import type { Dispatcher } from '../../outbox/dispatcher';
import { toDeliveryFailure } from '../../outbox/failure';
import { type BulkSend, sendOne } from './send-one';
import type { RecipientSource } from './source';
import type { BulkError, BulkOutcome, BulkProgress, BulkResult, BulkSummary } from './types';

/** Progress is reported at most this often, so 100,000 numbers do not mean 100,000 callbacks. */
const PROGRESS_INTERVAL_MS = 250;

interface BulkRun extends BulkSend {
  source: RecipientSource;
  concurrency: number;
  onProgress?: (progress: BulkProgress) => void;
  /** Each number's outcome as it happens; the summary then holds counts only. */
  onResult?: (outcome: BulkOutcome) => void | Promise<void>;
}

/**
 * Sends the template to every number of `source` with a pool of `concurrency` workers, each
 * taking its next number only when it is free, so an iterable is read as fast as the sender's
 * rate allows and never held whole. Each send is paced by the dispatcher's per-sender pacer: the
 * rate holds however many workers run.
 */
export async function runBulk(
  ctx: RuntimeContext,
  dispatcher: Dispatcher,
  run: BulkRun,
): Promise<BulkSummary> {
  const { source, onResult } = run;
  // Kept only for a caller without `onResult` (the 0.x summary holds every outcome).
  const results: BulkResult[] = [];
  const errors: BulkError[] = [];
  const counts = { processed: 0, succeeded: 0, failed: 0, alreadySent: 0 };
  let lastReport = 0;
  const report = (force: boolean) => {
    if (!run.onProgress) return;
    const now = performance.now();
    if (!force && now - lastReport < PROGRESS_INTERVAL_MS) return;
    lastReport = now;
    const { processed, succeeded, failed } = counts;
    run.onProgress({ total: source.total ?? processed, processed, succeeded, failed });
  };

  const record = async (outcome: BulkOutcome): Promise<void> => {
    counts.processed += 1;
    if (outcome.ok) counts.succeeded += 1;
    else counts.failed += 1;
    if (outcome.alreadySent) counts.alreadySent += 1;
    if (onResult) {
      try {
        await onResult(outcome);
      } catch (error) {
        // The host's callback failing must not stop the other numbers or hide their outcomes.
        ctx.reportError(error, { phase: 'listener' });
      }
    } else if (outcome.ok) {
      const { ok: _, ...result } = outcome;
      results.push(result);
    } else {
      const { ok: _, ...error } = outcome;
      errors.push(error);
    }
    report(false);
  };

  let sourceError: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (sourceError === undefined) {
      let recipient: Awaited<ReturnType<RecipientSource['next']>>;
      try {
        recipient = await source.next();
      } catch (error) {
        // The host's iterable failed: no more numbers; what is in flight still finishes.
        sourceError = { error };
        return;
      }
      if (recipient === undefined) return;
      if ('invalid' in recipient) {
        await record({ ok: false, ...recipient.invalid });
        continue;
      }
      const phoneNumber = recipient.phone;
      let outcome: BulkOutcome;
      try {
        outcome = await sendOne(ctx, dispatcher, run, phoneNumber);
      } catch (error) {
        const failure = toDeliveryFailure(error);
        outcome = {
          ok: false,
          phoneNumber,
          code: failure.code,
          category: failure.category,
          message: failure.message,
        };
      }
      await record(outcome);
    }
  };
  const workers =
    source.total === undefined ? run.concurrency : Math.min(run.concurrency, source.total);
  await Promise.all(Array.from({ length: Math.max(1, workers) }, worker));
  if (sourceError !== undefined) throw sourceError.error;
  report(true);
  return {
    results,
    errors,
    totalProcessed: counts.processed,
    totalErrors: counts.failed,
    succeeded: counts.succeeded,
    duplicates: source.duplicates,
    alreadySent: counts.alreadySent,
  };
}
