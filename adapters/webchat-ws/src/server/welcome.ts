import { createAnonymousToken } from '../auth/token';
import type { ResolvedWebChatOptions } from '../options';
import { PROTOCOL_VERSION, type WelcomeFrame } from '../protocol/frames';
import type { Connection } from './connection';

/**
 * The first frame of a set-up connection: who the visitor is, the limits they must keep and, for
 * an anonymous visitor, the token to come back with.
 */
export async function welcomeFrame(
  connection: Connection,
  input: { options: ResolvedWebChatOptions; now: number },
): Promise<WelcomeFrame> {
  const { identity } = connection;
  const { options, now } = input;
  const { secret, anonymousTokenTtlSeconds, heartbeatIntervalMs, maxPayload, maxTextLength } =
    options;
  // Anonymous mode requires a secret (checked with the options), so one is here to sign with.
  const signingSecret = typeof secret === 'string' ? secret : (secret?.[0] ?? '');
  // An anonymous visitor gets a fresh token each time: one who comes back within the TTL stays
  // the same visitor indefinitely.
  const token = identity.anonymous
    ? await createAnonymousToken(
        {
          visitorId: identity.address.slice('anon:'.length),
          ttlSeconds: anonymousTokenTtlSeconds,
        },
        signingSecret,
        { now },
      )
    : undefined;
  return {
    type: 'welcome',
    protocol: PROTOCOL_VERSION,
    ...(connection.userId === undefined ? {} : { userId: connection.userId }),
    visitorId: connection.address,
    ...(token === undefined ? {} : { token }),
    heartbeatMs: heartbeatIntervalMs,
    limits: { maxPayload, maxTextLength, ...options.rate },
  };
}
