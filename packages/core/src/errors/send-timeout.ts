import { ERROR_BRAND } from './brand';
import { DeliveryError } from './delivery';

/** The stable `code` of a {@link SendTimeoutError}. */
export const SEND_TIMEOUT_CODE = 'send_timeout';

/**
 * The adapter's `send` did not answer within `outbox.sendTimeoutMs`. The outbox aborts the
 * `signal` it gave the adapter with this error and retries the delivery (retryable, category
 * `provider`): the provider may or may not have the message, so an adapter that can should pass
 * `envelope.deliveryId` as the provider's idempotency key.
 *
 * @example
 * ```ts
 * const delivery = await threadline.deliveries.get(id);
 * if (delivery?.error?.code === SEND_TIMEOUT_CODE) console.warn('the provider was slow');
 * ```
 */
export class SendTimeoutError extends DeliveryError {
  static override readonly [ERROR_BRAND]: string = 'SendTimeoutError';
  override name = 'SendTimeoutError';
  override readonly code: string = SEND_TIMEOUT_CODE;
  /** The timeout that passed, in ms. */
  readonly timeoutMs: number;

  constructor(input: { adapterId: string; provider: string; timeoutMs: number }) {
    super(`${input.adapterId} did not answer within ${input.timeoutMs} ms`, {
      category: 'provider',
      provider: input.provider,
      retryable: true,
    });
    this.timeoutMs = input.timeoutMs;
  }
}
