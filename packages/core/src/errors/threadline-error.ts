import { brandsOf, ERROR_BRAND, ERROR_BRANDS, hasBrandedInstance } from './brand';
import type { ErrorCategory } from './categories';

/** What every Threadline error carries besides its message. */
export interface ThreadlineErrorOptions {
  /** A stable, machine-readable code, e.g. `validation_failed` or `whatsapp.131047`. */
  code: string;
  category: ErrorCategory;
  /** Whether sending the same thing again later may succeed. Defaults to `false`. */
  retryable?: boolean;
  /** How long to wait before retrying, when the provider said (`Retry-After`). */
  retryAfterMs?: number;
  /** The underlying error (a provider response, a driver error). */
  cause?: unknown;
}

/**
 * The base of every error Threadline throws. Catch this one to handle them all, and switch on
 * `category` (what kind of failure) or `code` (exactly which).
 *
 * @example
 * ```ts
 * try {
 *   await threadline.channels.send({ channel: 'whatsapp', to: { userId }, text });
 * } catch (error) {
 *   if (error instanceof ThreadlineError && error.retryable) scheduleRetry(error.retryAfterMs);
 * }
 * ```
 *
 * `instanceof` also recognises errors built by another copy of this package (the CJS build beside
 * the ESM one): every core error class carries a `Symbol.for` brand. See {@link isThreadlineError}.
 */
export class ThreadlineError extends Error {
  static readonly [ERROR_BRAND]: string = 'ThreadlineError';

  /** Matches through the prototype chain, or through the brand of another copy of this package. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the subclass `instanceof` asked about
    return hasBrandedInstance(this, value);
  }

  override name = 'ThreadlineError';
  readonly code: string;
  readonly category: ErrorCategory;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options: ThreadlineErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    this.category = options.category;
    this.retryable = options.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs;
    Object.defineProperty(this, ERROR_BRANDS, { value: brandsOf(new.target), enumerable: false });
  }

  /** A plain object for logs and for storing on a delivery. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      code: this.code,
      category: this.category,
      retryable: this.retryable,
      ...(this.retryAfterMs === undefined ? {} : { retryAfterMs: this.retryAfterMs }),
    };
  }
}

/**
 * Whether `value` is a Threadline error, from this copy of `@threadline/core` or any other (the CJS
 * and ESM builds loaded side by side, or two versions in `node_modules`).
 *
 * @example
 * ```ts
 * if (isThreadlineError(error) && error.retryable) scheduleRetry(error.retryAfterMs);
 * ```
 */
export function isThreadlineError(value: unknown): value is ThreadlineError {
  return value instanceof ThreadlineError;
}
