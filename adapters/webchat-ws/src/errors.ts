import { DeliveryError, ThreadlineError } from '@threadline/core';

/** The provider name on this adapter's errors and deliveries. */
export const PROVIDER = 'threadline';

/** Why a visitor token was refused. */
export type VisitorTokenProblem = 'malformed' | 'signature' | 'audience' | 'expired';

/**
 * A visitor token could not be accepted: not a token, signed with another secret, meant for
 * something else, or expired. The upgrade request is answered `401` with the problem as the body.
 *
 * @example
 * ```ts
 * try { verifyVisitorToken(token, secret); } catch (error) {
 *   if (error instanceof VisitorTokenError && error.problem === 'expired') askForANewToken();
 * }
 * ```
 */
export class VisitorTokenError extends ThreadlineError {
  override name = 'VisitorTokenError';
  readonly problem: VisitorTokenProblem;

  constructor(problem: VisitorTokenProblem, message: string) {
    super(message, { code: `webchat.token_${problem}`, category: 'auth' });
    this.problem = problem;
  }
}

/**
 * The ways a web chat send fails. There is no provider API to map codes from: the adapter writes
 * to sockets it holds and to the store's pub/sub, so the table is short.
 */
const SEND_FAILURES = {
  not_started: {
    category: 'provider',
    retryable: true,
    message: 'the web chat adapter is not started (call threadline.start())',
  },
  fan_out: {
    category: 'provider',
    retryable: true,
    message:
      'could not publish to other instances, and the message has no thread entry to replay from',
  },
  empty: {
    category: 'invalid_request',
    retryable: false,
    message: 'the message has no text, component or media to show',
  },
  template: {
    category: 'invalid_request',
    retryable: false,
    message: 'web chat has no provider templates; send text instead',
  },
} as const;

/** A `DeliveryError` for one of the send failures above. */
export function sendFailure(kind: keyof typeof SEND_FAILURES, cause?: unknown): DeliveryError {
  const failure = SEND_FAILURES[kind];
  return new DeliveryError(`Web chat: ${failure.message}`, {
    category: failure.category,
    provider: PROVIDER,
    providerCode: kind,
    retryable: failure.retryable,
    ...(cause === undefined ? {} : { cause }),
  });
}
