import { type AdapterContext, normalizeEmail } from '@threadline/core';
import { threadFromAddress } from '../links';
import type { InboundMail } from './mail';

/**
 * Which user's thread a reply belongs to: the delivery its `In-Reply-To`/`References` name
 * (our Message-IDs are the deliveries' provider ids), else the thread in a plus-address token,
 * else nobody in particular (the core then resolves the sender's address as usual).
 *
 * A match binds the sender to that user only when the sender's address belongs to no other user:
 * a reply from an alias joins the thread it answers, but an address already known as someone
 * else is never taken over (it stays that person's, and the match is reported in metadata).
 */

/** How the thread was found. */
export type ThreadMatch = 'in-reply-to' | 'references' | 'reply-address' | 'sender';

/** The outcome of matching. */
export interface MatchedThread {
  matchedBy: ThreadMatch;
  /** The user to bind the sender to (set only when that is safe, see above). */
  userId?: string;
  /** The user the headers pointed at, when it differs from the sender's own. */
  conflictingUserId?: string;
}

async function userFromHeaders(
  context: AdapterContext,
  adapterId: string,
  mail: InboundMail,
): Promise<{ userId: string; matchedBy: ThreadMatch } | undefined> {
  const candidates: Array<[string, ThreadMatch]> = [
    ...(mail.inReplyTo === undefined
      ? []
      : [[mail.inReplyTo, 'in-reply-to'] as [string, ThreadMatch]]),
    // Newest reference first: the parent is last in References.
    ...[...mail.references].reverse().map((id) => [id, 'references'] as [string, ThreadMatch]),
  ];
  for (const [providerMessageId, matchedBy] of candidates) {
    const delivery = await context.store.deliveries.findByProviderMessageId({
      adapterId,
      providerMessageId,
    });
    if (delivery?.userId !== undefined) return { userId: delivery.userId, matchedBy };
  }
  return undefined;
}

async function userFromReplyAddress(
  context: AdapterContext,
  mail: InboundMail,
  secret: string | undefined,
): Promise<string | undefined> {
  if (secret === undefined) return undefined;
  for (const address of mail.to) {
    const threadId = threadFromAddress(address, secret);
    if (threadId === undefined) continue;
    const thread = await context.store.threads.get(threadId);
    if (thread !== null) return thread.userId;
  }
  return undefined;
}

/**
 * @example
 * ```ts
 * await matchThread(context, { adapterId: 'email', mail, linkSecret }); // { matchedBy: 'in-reply-to', userId: 'u1' }
 * ```
 */
export async function matchThread(
  context: AdapterContext | undefined,
  input: { adapterId: string; mail: InboundMail; linkSecret: string | undefined },
): Promise<MatchedThread> {
  const { mail } = input;
  if (context === undefined || mail.from === undefined) return { matchedBy: 'sender' };
  const byHeaders = await userFromHeaders(context, input.adapterId, mail);
  const byAddress =
    byHeaders === undefined
      ? await userFromReplyAddress(context, mail, input.linkSecret)
      : undefined;
  const target =
    byHeaders ??
    (byAddress === undefined
      ? undefined
      : { userId: byAddress, matchedBy: 'reply-address' as const });
  if (target === undefined) return { matchedBy: 'sender' };
  // The core's own normal form, so the lookup finds the identity the core stored.
  const address = normalizeEmail(mail.from.address);
  const existing =
    address === null ? null : await context.store.identities.get({ channel: 'email', address });
  if (existing !== null && existing.userId !== target.userId) {
    return { matchedBy: 'sender', conflictingUserId: target.userId };
  }
  return target;
}
