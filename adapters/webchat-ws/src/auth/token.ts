import { randomUUID } from 'node:crypto';
import {
  decodeProtectedHeader,
  errors,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
  SignJWT,
} from 'jose';
import { z } from 'zod';
import { VisitorTokenError } from '../errors';

/**
 * Visitor tokens are JWTs (RFC 7519), minted and verified with `jose`, so a host written in any
 * language can mint them with its usual JWT library: HS256 with the adapter's `secret`, or
 * RS256/ES256/EdDSA with its own keys checked against a JWKS (`jwks` option). Claims:
 * - `sub`: the Threadline user id (or, with `anon: true`, an anonymous visitor id the server chose);
 * - `aud`: {@link TOKEN_AUDIENCE} (a string, or an array that contains it), so a JWT minted for
 *   something else with the same secret is refused;
 * - `exp` (required), `iat`: seconds since the epoch; `name`: an optional display name.
 */
export const TOKEN_AUDIENCE = 'threadline:webchat';

/** Default lifetime of a token the host mints: one hour, then the widget asks for a new one. */
export const DEFAULT_TOKEN_TTL_SECONDS = 3600;

/** The one symmetric algorithm: HMAC-SHA256 with the adapter's secret (RFC 7518 §3.2). */
const SECRET_ALGORITHM = 'HS256';

/** Asymmetric algorithms accepted against a JWKS unless the host narrows them. */
export const DEFAULT_KEY_SET_ALGORITHMS = ['RS256', 'ES256', 'EdDSA'] as const;

/** An asymmetric JWS algorithm a key set may verify. */
export type KeySetAlgorithm = 'RS256' | 'ES256' | 'EdDSA';

const ClaimsSchema = z.object({
  sub: z.string().min(1).max(256),
  exp: z.number(),
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

/**
 * What {@link verifyVisitorToken} checks a token against: HS256 secrets, an asymmetric key set, or
 * both (the header's `alg` picks which).
 */
export interface VisitorTokenKeys {
  /** HS256 secrets; several allow rotation (sign with the new one, accept both for a while). */
  secret?: string | readonly string[] | undefined;
  /** From `jose`'s `createRemoteJWKSet(new URL(…))` or `createLocalJWKSet({ keys })`. */
  keySet?: JWTVerifyGetKey | undefined;
  /** Algorithms the key set may verify. Default RS256, ES256, EdDSA. */
  algorithms?: readonly KeySetAlgorithm[] | undefined;
  /** The `aud` a key-set token must carry. Default {@link TOKEN_AUDIENCE}. */
  audience?: string | undefined;
  /** The `iss` a key-set token must carry, when given (your identity provider). */
  issuer?: string | undefined;
}

const encoder = new TextEncoder();

async function sign(
  claims: JWTPayload,
  input: { secret: string; now: number; ttlSeconds: number },
): Promise<string> {
  const iat = Math.floor(input.now / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: SECRET_ALGORITHM, typ: 'JWT' })
    .setAudience(TOKEN_AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + input.ttlSeconds)
    .sign(encoder.encode(input.secret));
}

/**
 * Mints a visitor token for one of your users: pass it to the widget (`token` attribute) or the
 * headless client. Mint it server-side, after your own login, and keep the secret there.
 *
 * @example
 * ```ts
 * app.get('/chat-token', async (req, res) => {
 *   res.json({ token: await createVisitorToken({ userId: req.user.id, ttlSeconds: 3600 }, process.env.WEBCHAT_SECRET!) });
 * });
 * ```
 */
export async function createVisitorToken(
  input: VisitorTokenInput,
  secret: string,
  options: TokenClockOptions = {},
): Promise<string> {
  const ttl = input.ttlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl <= 0) {
    throw new RangeError(`ttlSeconds must be a positive integer, got ${ttl}`);
  }
  if (input.userId.trim() === '') throw new RangeError('userId must not be empty');
  const claims = { sub: input.userId, ...(input.name === undefined ? {} : { name: input.name }) };
  return sign(claims, { secret, now: options.now ?? Date.now(), ttlSeconds: ttl });
}

/** Mints the token of a new anonymous visitor (the server does this in anonymous mode). */
export async function createAnonymousToken(
  input: { ttlSeconds: number; visitorId?: string },
  secret: string,
  options: TokenClockOptions = {},
): Promise<string> {
  const claims = { sub: input.visitorId ?? randomUUID(), anon: true };
  return sign(claims, { secret, now: options.now ?? Date.now(), ttlSeconds: input.ttlSeconds });
}

/** jose's errors → why the token was refused (the `401` body and `VisitorTokenError.problem`). */
function problemOf(error: unknown): VisitorTokenError {
  if (error instanceof VisitorTokenError) return error;
  if (error instanceof errors.JWTExpired) {
    return new VisitorTokenError('expired', 'the token has expired');
  }
  if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'aud') {
    return new VisitorTokenError(
      'audience',
      `the token is not meant for this chat (${error.message})`,
    );
  }
  if (
    error instanceof errors.JWSSignatureVerificationFailed ||
    error instanceof errors.JWKSNoMatchingKey
  ) {
    return new VisitorTokenError('signature', 'the token signature does not match');
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new VisitorTokenError('malformed', `not a valid visitor token: ${reason}`);
}

function keysOf(keys: string | readonly string[] | VisitorTokenKeys): VisitorTokenKeys {
  return typeof keys === 'string' || Array.isArray(keys)
    ? { secret: keys as string | readonly string[] }
    : (keys as VisitorTokenKeys);
}

async function verifyWithSecrets(
  token: string,
  secrets: readonly string[],
  currentDate: Date,
): Promise<JWTPayload> {
  // Every secret is tried, whatever matched, so the time taken does not tell which one did.
  const outcomes = await Promise.allSettled(
    secrets.map((secret) =>
      jwtVerify(token, encoder.encode(secret), {
        algorithms: [SECRET_ALGORITHM],
        audience: TOKEN_AUDIENCE,
        requiredClaims: ['sub', 'exp'],
        currentDate,
      }),
    ),
  );
  const verified = outcomes.find((outcome) => outcome.status === 'fulfilled');
  if (verified) return verified.value.payload;
  // A claim problem (expired, audience) outranks "signature": it means the signature was good.
  const reasons = outcomes.map((outcome) => (outcome as PromiseRejectedResult).reason);
  throw (
    reasons.find((reason) => !(reason instanceof errors.JWSSignatureVerificationFailed)) ??
    reasons[0]
  );
}

/**
 * Checks a token's signature, audience and expiry with `jose`, and returns who it names. An HS256
 * token is checked against each secret (any header order, `typ` or not, `kid` or not, `aud` a
 * string or an array); an RS256/ES256/EdDSA token against the key set.
 *
 * @throws VisitorTokenError with `problem` `malformed`, `signature`, `audience` or `expired`.
 * @example
 * ```ts
 * const visitor = await verifyVisitorToken(token, [newSecret, oldSecret]);
 * visitor.userId; // 'member-42'
 * const fromIdp = await verifyVisitorToken(token, {
 *   keySet: createRemoteJWKSet(new URL('https://id.example.com/.well-known/jwks.json')),
 *   audience: 'my-chat', issuer: 'https://id.example.com/',
 * });
 * ```
 */
export async function verifyVisitorToken(
  token: string,
  keys: string | readonly string[] | VisitorTokenKeys,
  options: TokenClockOptions = {},
): Promise<VisitorIdentity> {
  const {
    secret,
    keySet,
    algorithms = DEFAULT_KEY_SET_ALGORITHMS,
    audience,
    issuer,
  } = keysOf(keys);
  const currentDate = new Date(options.now ?? Date.now());
  let payload: JWTPayload;
  let bySecret: boolean;
  try {
    const { alg } = decodeProtectedHeader(token);
    bySecret = alg === SECRET_ALGORITHM;
    if (bySecret) {
      const secrets = typeof secret === 'string' ? [secret] : (secret ?? []);
      if (secrets.length === 0)
        throw new VisitorTokenError('malformed', 'HS256 tokens are not accepted here');
      payload = await verifyWithSecrets(token, secrets, currentDate);
    } else {
      if (keySet === undefined || !algorithms.includes(alg as KeySetAlgorithm)) {
        throw new VisitorTokenError(
          'malformed',
          `tokens signed with ${String(alg)} are not accepted`,
        );
      }
      ({ payload } = await jwtVerify(token, keySet, {
        algorithms: [...algorithms],
        audience: audience ?? TOKEN_AUDIENCE,
        ...(issuer === undefined ? {} : { issuer }),
        requiredClaims: ['sub', 'exp'],
        currentDate,
      }));
    }
  } catch (error) {
    throw problemOf(error);
  }
  const claims = ClaimsSchema.safeParse(payload);
  if (!claims.success) throw new VisitorTokenError('malformed', 'the token claims are not valid');
  // Only this server mints anonymous tokens, with its own secret.
  const anonymous = bySecret && claims.data.anon === true;
  const { sub, name, exp } = claims.data;
  return {
    ...(anonymous ? {} : { userId: sub }),
    address: anonymous ? `anon:${sub}` : `user:${sub}`,
    ...(name === undefined ? {} : { displayName: name }),
    expiresAt: exp * 1000,
    anonymous,
  };
}
