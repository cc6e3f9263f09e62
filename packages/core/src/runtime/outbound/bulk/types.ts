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
}

/** One number that was not sent, and why. */
export interface BulkError {
  /** The number as given (or normalised, when it was valid). */
  phoneNumber: string;
  code: string;
  category: ErrorCategory | DeliveryErrorCategory;
  message: string;
  deliveryId?: string;
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
  /** About the call as a whole (a deprecated input form); per-number ones are on each result. */
  warnings?: SendWarning[];
}
