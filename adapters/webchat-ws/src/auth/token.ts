import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { VisitorTokenError } from '../errors';

/**
 * Visitor tokens are compact JWTs signed with HMAC-SHA256 (RFC 7519, `alg: HS256`), so a host
 * written in any language can mint them with its usual JWT library. Claims:
 * - `sub`: the Threadline user id (or, with `anon: true`, an anonymous visitor id the server chose);
 * - `aud`: always {@link TOKEN_AUDIENCE}, so a JWT minted for something else with the same secret
 *   is refused;
 * - `iat`, `exp`: seconds since the epoch; `name`: an optional display name.
 */
export const TOKEN_AUDIENCE = 'threadline:webchat';

/** Default lifetime of a token the host mints: one hour, then the widget asks for a new one. */
export const DEFAULT_TOKEN_TTL_SECONDS = 3600;

/** The one header this adapter signs and accepts; anything else (`alg: none`) is malformed. */
const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

const ClaimsSchema = z.object({
  sub: z.string().min(1).max(256),
  aud: z.string(),
  iat: z.number().int(),
  exp: z.number().int(),
  name: z.string().max(256).optional(),
  anon: z.literal(true).optional(),
});

/** Who a verified token says the visitor is. */
export interface VisitorIdentity {
  /** The Threadline user, for a token the host minted; absent for an anonymous visitor. */
  userId?: string;
  /** The visitor's address on the web chat channel: `user:<userId>` or `anon:<visitorId>`. */
  address: string;
  displayName?: string;
  /** When the token stops being valid, in epoch milliseconds. */
  expiresAt: number;
  anonymous: boolean;
}

/** Input of {@link createVisitorToken}. */
export interface VisitorTokenInput {
  /** The Threadline user the visitor is (your own user id). */
  userId: string;
  /** Seconds until the token expires. Default 3600. */
  ttlSeconds?: number;
  /** A name to show the agent (`from.displayName`). */
  name?: string;
}

/** Options of {@link createVisitorToken} and {@link verifyVisitorToken}. */
export interface TokenClockOptions {
  /** "Now" in epoch milliseconds; defaults to `Date.now()`. Tests pass a fake clock's `now()`. */
  now?: number;
}

function sign(data: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(data).digest();
}

function encode(claims: z.infer<typeof ClaimsSchema>, secret: string): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const data = `${HEADER}.${payload}`;
  return `${data}.${sign(data, secret).toString('base64url')}`;
}

/**
 * Mints a visitor token for one of your users: pass it to the widget (`token` attribute) or the
 * headless client. Mint it server-side, after your own login, and keep the secret there.
 *
 * @example
 * ```ts
 * app.get('/chat-token', (req, res) => {
 *   res.json({ token: createVisitorToken({ userId: req.user.id, ttlSeconds: 3600 }, process.env.WEBCHAT_SECRET!) });
 * });
 * ```
 */
export function createVisitorToken(
  input: VisitorTokenInput,
  secret: string,
  options: TokenClockOptions = {},
): string {
  const ttl = input.ttlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl <= 0) {
    throw new RangeError(`ttlSeconds must be a positive integer, got ${ttl}`);
  }
  if (input.userId.trim() === '') throw new RangeError('userId must not be empty');
  const iat = Math.floor((options.now ?? Date.now()) / 1000);
  return encode(
    {
      sub: input.userId,
      aud: TOKEN_AUDIENCE,
      iat,
      exp: iat + ttl,
      ...(input.name === undefined ? {} : { name: input.name }),
    },
    secret,
  );
}

/** Mints the token of a new anonymous visitor (the server does this in anonymous mode). */
export function createAnonymousToken(
  input: { ttlSeconds: number; visitorId?: string },
  secret: string,
  options: TokenClockOptions = {},
): string {
  const iat = Math.floor((options.now ?? Date.now()) / 1000);
  return encode(
    {
      sub: input.visitorId ?? randomUUID(),
      aud: TOKEN_AUDIENCE,
      iat,
      exp: iat + input.ttlSeconds,
      anon: true,
    },
    secret,
  );
}

/**
 * Checks a token's signature (against each secret, in constant time), audience and expiry, and
 * returns who it names. Several secrets allow rotation: sign with the new one, accept both until
 * the old tokens have expired.
 *
 * @throws VisitorTokenError with `problem` `malformed`, `signature`, `audience` or `expired`.
 * @example
 * ```ts
 * const visitor = verifyVisitorToken(token, [newSecret, oldSecret]);
 * visitor.userId; // 'member-42'
 * ```
 */
export function verifyVisitorToken(
  token: string,
  secret: string | readonly string[],
  options: TokenClockOptions = {},
): VisitorIdentity {
  const pieces = token.split('.');
  const [header, payload, signature] = pieces;
  if (pieces.length !== 3 || header !== HEADER || !payload || !signature) {
    throw new VisitorTokenError('malformed', 'not an HS256 visitor token');
  }
  const given = Buffer.from(signature, 'base64url');
  const data = `${header}.${payload}`;
  const secrets = typeof secret === 'string' ? [secret] : secret;
  // Every secret is tried, whatever matched, so the time taken does not tell which one did.
  let valid = false;
  for (const candidate of secrets) {
    const expected = sign(data, candidate);
    // Lengths are public (an HS256 signature is always 32 bytes); only equal lengths are compared.
    if (given.length === expected.length && timingSafeEqual(given, expected)) valid = true;
  }
  if (!valid) throw new VisitorTokenError('signature', 'the token signature does not match');

  let claims: z.infer<typeof ClaimsSchema>;
  try {
    claims = ClaimsSchema.parse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
  } catch {
    throw new VisitorTokenError('malformed', 'the token claims are not valid');
  }
  if (claims.aud !== TOKEN_AUDIENCE) {
    throw new VisitorTokenError('audience', `the token is not meant for ${TOKEN_AUDIENCE}`);
  }
  const expiresAt = claims.exp * 1000;
  if (expiresAt <= (options.now ?? Date.now())) {
    throw new VisitorTokenError('expired', 'the token has expired');
  }
  const anonymous = claims.anon === true;
  return {
    ...(anonymous ? {} : { userId: claims.sub }),
    address: anonymous ? `anon:${claims.sub}` : `user:${claims.sub}`,
    ...(claims.name === undefined ? {} : { displayName: claims.name }),
    expiresAt,
    anonymous,
  };
}
