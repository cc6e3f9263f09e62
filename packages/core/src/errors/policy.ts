import { ERROR_BRAND } from './brand';
import { ThreadlineError } from './threadline-error';

/** Where a policy refusal happened: the channel and the address it would have gone to. */
export interface PolicyErrorContext {
  channel: string;
  address?: string;
  userId?: string;
  cause?: unknown;
}

/**
 * The channel's session window is closed (WhatsApp: 24 h after the user's last message) and the
 * caller asked to fail rather than queue. Send an approved template instead.
 *
 * @example
 * ```ts
 * try {
 *   await channels.send({ channel: 'whatsapp', to: { userId }, text, options: { whatsapp: { onClosedWindow: 'fail' } } });
 * } catch (error) {
 *   if (error instanceof WindowClosedError) await channels.whatsapp.sendTemplate({ to: { userId }, template: { name: 'reminder', languageCode: 'en_US' } });
 * }
 * ```
 */
export class WindowClosedError extends ThreadlineError {
  static override readonly [ERROR_BRAND]: string = 'WindowClosedError';
  override name = 'WindowClosedError';
  readonly channel: string;
  readonly address: string | undefined;
  /** When the window closed, if the user ever wrote. */
  readonly closedAt: Date | undefined;

  constructor(context: PolicyErrorContext & { closedAt?: Date }) {
    super(
      `The ${context.channel} session window${context.address ? ` for ${context.address}` : ''} is closed; send an approved template instead`,
      { code: 'window_closed', category: 'window_closed', cause: context.cause },
    );
    this.channel = context.channel;
    this.address = context.address;
    this.closedAt = context.closedAt;
  }
}

/** The recipient opted out on this channel (for example by texting STOP). Nothing was sent. */
export class OptedOutError extends ThreadlineError {
  static override readonly [ERROR_BRAND]: string = 'OptedOutError';
  override name = 'OptedOutError';
  readonly channel: string;
  readonly address: string | undefined;

  constructor(context: PolicyErrorContext) {
    super(
      `${context.address ?? 'The recipient'} opted out of ${context.channel}; nothing was sent`,
      {
        code: 'opted_out',
        category: 'opted_out',
        cause: context.cause,
      },
    );
    this.channel = context.channel;
    this.address = context.address;
  }
}

/**
 * The recipient cannot be reached on this channel: a warm-only channel (Teams, Messenger,
 * Instagram) without a prior conversation, or no configured sender for it.
 */
export class NotReachableError extends ThreadlineError {
  static override readonly [ERROR_BRAND]: string = 'NotReachableError';
  override name = 'NotReachableError';
  readonly channel: string;
  readonly userId: string | undefined;

  constructor(context: PolicyErrorContext & { reason: string }) {
    super(
      `Cannot reach ${context.userId ?? context.address ?? 'the recipient'} on ${context.channel}: ${context.reason}`,
      {
        code: 'not_reachable',
        category: 'not_reachable',
        cause: context.cause,
      },
    );
    this.channel = context.channel;
    this.userId = context.userId;
  }
}

/** Something asked for by id does not exist. `kind` says what (`user`, `delivery`, `adapter`). */
export class NotFoundError extends ThreadlineError {
  static override readonly [ERROR_BRAND]: string = 'NotFoundError';
  override name = 'NotFoundError';
  readonly kind: string;
  readonly id: string;

  constructor(kind: string, id: string) {
    super(`No ${kind} with id ${JSON.stringify(id)}`, {
      code: `${kind}_not_found`,
      category: 'not_found',
    });
    this.kind = kind;
    this.id = id;
  }
}

/** The thread store failed. `retryable` is true for connection-level failures. */
export class StoreError extends ThreadlineError {
  static override readonly [ERROR_BRAND]: string = 'StoreError';
  override name = 'StoreError';

  constructor(
    message: string,
    options: { code?: string; retryable?: boolean; cause?: unknown } = {},
  ) {
    super(message, {
      code: options.code ?? 'store_failed',
      category: 'store',
      retryable: options.retryable ?? false,
      cause: options.cause,
    });
  }
}
