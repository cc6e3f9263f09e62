import type { DeliveryErrorCategory, ErrorCategory } from '../../../errors/categories';
import type { DeliveryStatus } from '../../../message/status';
import type { SendWarning } from '../result';

/** One number that was sent to (or is being retried in the background). */
export interface BulkResult {
  phoneNumber: string;
  deliveryId: string;
  status: DeliveryStatus;
  messageId?: string;
  /** About this number only (`marketing_to_us_number`). */
  warnings?: SendWarning[];
  /**
   * An earlier call with the same `campaignKey` already created this number's delivery, so this
   * call sent nothing to it. `deliveryId` and `status` are that delivery's, as it stands now (a
   * `queued` one is still going out through the outbox, e.g. after the earlier caller crashed).
   */
  alreadySent?: true;
}

/** One number that was not sent, and why. */
export interface BulkError {
  /** The number as given (or normalised, when it was valid). */
  phoneNumber: string;
  code: string;
  category: ErrorCategory | DeliveryErrorCategory;
  message: string;
  deliveryId?: string;
  /** The number's delivery from an earlier call with the same `campaignKey` failed; not retried. */
  alreadySent?: true;
}

/** Progress of a bulk send, reported as it goes. */
export interface BulkProgress {
  /**
   * The numbers to process (duplicates not counted). For an iterable, which is read as the send
   * goes, the numbers read so far: it is final in the last report.
   */
  total: number;
  processed: number;
  succeeded: number;
  failed: number;
}

/**
 * One number's outcome, as `onResult` receives it: a {@link BulkResult} (`ok: true`) or a
 * {@link BulkError} (`ok: false`). Every number given gets exactly one, duplicates aside.
 */
export type BulkOutcome = (BulkResult & { ok: true }) | (BulkError & { ok: false });

/**
 * What a bulk send returns. `results` and `errors` are keyed by phone number, not by index; with
 * `onResult` they are empty (every outcome went to the callback) and the counts tell the rest.
 */
export interface BulkSummary {
  /** The numbers sent to (or being retried in the background); empty with `onResult`. */
  results: BulkResult[];
  /** The numbers not sent to, and why; empty with `onResult`. */
  errors: BulkError[];
  /** Numbers with an outcome (sent or not), duplicates not counted. */
  totalProcessed: number;
  /** Numbers not sent to. */
  totalErrors: number;
  /** Numbers sent to (or being retried), including those an earlier call of the campaign sent. */
  succeeded: number;
  /** Numbers given more than once (after normalisation), sent once. */
  duplicates: number;
  /** Numbers an earlier call with the same `campaignKey` had already sent to (not sent again). */
  alreadySent: number;
  /** About the call as a whole (a deprecated input form); per-number ones are on each result. */
  warnings?: SendWarning[];
}
