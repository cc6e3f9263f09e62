import { ERROR_BRAND } from './brand';
import type { DeliveryErrorCategory } from './categories';
import { ThreadlineError } from './threadline-error';

/** What an adapter knows about a provider failure. */
export interface DeliveryErrorOptions {
  category: DeliveryErrorCategory;
  /** The provider's name, e.g. `meta`, `twilio`, `smtp`. */
  provider: string;
  /** The provider's own code (`131047`, `21610`, `550`), as a string. */
  providerCode?: string;
  /** The provider's short title for the code. */
  title?: string;
  /** The HTTP status of the provider's answer, when there was one. */
  httpStatus?: number;
  retryable?: boolean;
  retryAfterMs?: number;
  cause?: unknown;
}

/**
 * A provider refused or failed a send. Adapters throw it from `send`; the core records it on the
 * delivery and decides from `category` and `retryable` whether to retry.
 *
 * @example
 * ```ts
 * throw new DeliveryError('Re-engagement message', {
 *   category: 'window_closed', provider: 'meta', providerCode: '131047', httpStatus: 400,
 * });
 * ```
 */
export class DeliveryError extends ThreadlineError {
  static override readonly [ERROR_BRAND]: string = 'DeliveryError';
  override name = 'DeliveryError';
  override readonly category: DeliveryErrorCategory;
  readonly provider: string;
  readonly providerCode: string | undefined;
  readonly title: string | undefined;
  readonly httpStatus: number | undefined;
  /** The delivery that failed, once the core has recorded it (`undefined` inside an adapter). */
  deliveryId: string | undefined;

  constructor(message: string, options: DeliveryErrorOptions) {
    super(message, {
      code: options.providerCode
        ? `${options.provider}.${options.providerCode}`
        : `${options.provider}.${options.category}`,
      category: options.category,
      retryable: options.retryable ?? false,
      ...(options.retryAfterMs === undefined ? {} : { retryAfterMs: options.retryAfterMs }),
      cause: options.cause,
    });
    this.category = options.category;
    this.provider = options.provider;
    this.providerCode = options.providerCode;
    this.title = options.title;
    this.httpStatus = options.httpStatus;
    this.deliveryId = undefined;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      provider: this.provider,
      ...(this.providerCode === undefined ? {} : { providerCode: this.providerCode }),
      ...(this.title === undefined ? {} : { title: this.title }),
      ...(this.httpStatus === undefined ? {} : { httpStatus: this.httpStatus }),
      ...(this.deliveryId === undefined ? {} : { deliveryId: this.deliveryId }),
    };
  }
}
