import type { Clock, Threadline, User } from '@threadline/core';
import { createVisitorToken } from '@threadline/webchat-ws';
import { CHAT_TOKEN_TTL_SECONDS, DEMO_USER, WEBCHAT_SECRET } from './config';

/**
 * How one person becomes one user on two channels:
 *
 * - **WhatsApp** identifies people by phone number. Creating the user with `phoneNumbers` makes
 *   the number a contact point of hers, so the first WhatsApp message from +447700900123 resolves
 *   to `demo-ann` instead of creating a new user.
 * - **Web chat** has no phone number. The host (after its own login) mints a visitor token that
 *   names the user id; the adapter reports the sender as authenticated, and the core binds the
 *   web chat address `user:demo-ann` to her on the first connection.
 *
 * Both point at the same user, so both channels write into her one thread. (To bind an address
 * you learn later, `threadline.users.link({ userId, channel, address })` does the same.)
 */
export async function ensureDemoUser(threadline: Threadline): Promise<User> {
  const existing = await threadline.users.find(DEMO_USER.id);
  if (existing) return existing;
  return threadline.users.create({
    id: DEMO_USER.id,
    displayName: DEMO_USER.displayName,
    phoneNumbers: [DEMO_USER.phoneNumber],
  });
}

/** A web chat visitor token for `userId`, valid for an hour of demo time. */
export function webChatToken(userId: string, clock: Clock, name?: string): Promise<string> {
  return createVisitorToken(
    { userId, ttlSeconds: CHAT_TOKEN_TTL_SECONDS, ...(name === undefined ? {} : { name }) },
    WEBCHAT_SECRET,
    // The demo's clock, not Date.now(): after "skip 25 hours" the server checks tokens in skipped
    // time, so they must be minted in it too.
    { now: clock.now() },
  );
}
