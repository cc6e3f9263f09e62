import { DeliveryError } from '../../errors/delivery';
import { ThreadlineError } from '../../errors/threadline-error';
import type { DeliveryFailure } from '../../store/deliveries';

/**
 * Turns whatever an adapter threw into the failure stored on the delivery. An error that is not a
 * `ThreadlineError` (a network `TypeError`, a bug) is kept as a retryable `unknown` failure: the
 * outbox retries it a bounded number of times rather than lose the message on a transient fault.
 */
export function toDeliveryFailure(error: unknown): DeliveryFailure {
  if (error instanceof DeliveryError) {
    return {
      category: error.category,
      code: error.code,
      message: error.message,
      retryable: error.retryable,
      provider: error.provider,
      ...(error.providerCode === undefined ? {} : { providerCode: error.providerCode }),
      ...(error.title === undefined ? {} : { title: error.title }),
      ...(error.httpStatus === undefined ? {} : { httpStatus: error.httpStatus }),
    };
  }
  if (error instanceof ThreadlineError) {
    return {
      category: error.category,
      code: error.code,
      message: error.message,
      retryable: error.retryable,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { category: 'unknown', code: 'unexpected_error', message, retryable: true };
}

/** The provider's `Retry-After`, when the error carried one. */
export function retryAfterOf(error: unknown): number | undefined {
  return error instanceof ThreadlineError ? error.retryAfterMs : undefined;
}
