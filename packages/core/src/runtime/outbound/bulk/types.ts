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
  total: number;
  processed: number;
  succeeded: number;
  failed: number;
}

/** What a bulk send returns. `results` and `errors` are keyed by phone number, not by index. */
export interface BulkSummary {
  results: BulkResult[];
  errors: BulkError[];
  totalProcessed: number;
  totalErrors: number;
  /** Numbers given more than once (after normalisation), sent once. */
  duplicates: number;
  /** Numbers an earlier call with the same `campaignKey` had already sent to (not sent again). */
  alreadySent: number;
  /** About the call as a whole (a deprecated input form); per-number ones are on each result. */
  warnings?: SendWarning[];
}
