import { ERROR_BRAND } from './brand';
import { ThreadlineError } from './threadline-error';

/**
 * An authenticated sender (a web chat visitor token naming `userId`) arrived from an address that
 * is already linked to another user, so it was refused rather than allowed to move the address.
 * Moving it would hand the other user's conversation to whoever holds the token: two user ids
 * whose addresses normalise to one (`bob` and `bob ` are both `user:bob`), or an address the host
 * linked to someone else. Nothing was recorded. The web chat adapter closes the socket with 4403.
 *
 * To move an address on purpose, call `threadline.users.link` (the host's decision, not a token's).
 *
 * @example
 * ```ts
 * createThreadline({ …, onError(error) {
 *   if (error instanceof AddressTakenError) audit.warn('address collision', error.address, error.ownerId);
 * } });
 * ```
 */
export class AddressTakenError extends ThreadlineError {
  static override readonly [ERROR_BRAND]: string = 'AddressTakenError';
  override name = 'AddressTakenError';
  readonly channel: string;
  /** The address in its stored (normalised) form. */
  readonly address: string;
  /** The user the sender authenticated as, who was refused. */
  readonly userId: string;
  /** The user the address is linked to, who keeps it. */
  readonly ownerId: string;

  constructor(context: { channel: string; address: string; userId: string; ownerId: string }) {
    super(
      `${context.channel} address ${JSON.stringify(context.address)} belongs to another user; user ${JSON.stringify(context.userId)} may not take it over`,
      { code: 'address_taken', category: 'auth' },
    );
    this.channel = context.channel;
    this.address = context.address;
    this.userId = context.userId;
    this.ownerId = context.ownerId;
  }
}
