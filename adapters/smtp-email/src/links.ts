import { createHmac, timingSafeEqual } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';

/**
 * Signed tokens the adapter puts in emails: action buttons and unsubscribe links (JWTs through
 * `jose`, HS256, with an expiry), and the short per-thread token of a plus-address, which must fit
 * a mailbox local part and so cannot be a JWT.
 */

/** What an action button's link carries. */
export interface ActionClaims {
  kind: 'action';
  /** The recipient's address: the inbound turn is recorded as theirs. */
  address: string;
  label: string;
  /** The delivery that carried the button, so a double click records one turn. */
  deliveryId: string;
}

/** What a one-click unsubscribe link carries. */
export interface UnsubscribeClaims {
  kind: 'unsubscribe';
  address: string;
}

/** Any signed link claim. */
export type LinkClaims = ActionClaims | UnsubscribeClaims;

/**
 * How long an unsubscribe link works. CAN-SPAM requires the mechanism to work for at least 30
 * days after sending; a year covers people who unsubscribe from old mail.
 * Source: https://www.ftc.gov/business-guidance/resources/can-spam-act-compliance-guide-business
 */
export const UNSUBSCRIBE_TTL_SECONDS = 365 * 24 * 60 * 60;

/** Why a link was refused. */
export type LinkProblem = 'expired' | 'invalid';

/** Signs and verifies link tokens for one adapter (the audience). */
export interface LinkSigner {
  sign(claims: LinkClaims, ttlSeconds: number): Promise<string>;
  verify(token: string): Promise<LinkClaims | LinkProblem>;
}

/**
 * @example
 * ```ts
 * const signer = createLinkSigner({ secret, audience: 'email', now: () => Date.now() });
 * const token = await signer.sign({ kind: 'unsubscribe', address: 'ann@example.com' }, 3600);
 * await signer.verify(token); // { kind: 'unsubscribe', address: 'ann@example.com' }
 * ```
 */
export function createLinkSigner(input: {
  secret: string;
  audience: string;
  now: () => number;
}): LinkSigner {
  const key = new TextEncoder().encode(input.secret);
  const seconds = () => Math.floor(input.now() / 1000);
  return {
    async sign(claims, ttlSeconds) {
      return new SignJWT({ ...claims })
        .setProtectedHeader({ alg: 'HS256' })
        .setAudience(input.audience)
        .setIssuedAt(seconds())
        .setExpirationTime(seconds() + ttlSeconds)
        .sign(key);
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, key, {
          audience: input.audience,
          algorithms: ['HS256'],
          currentDate: new Date(input.now()),
        });
        const { kind, address, label, deliveryId } = payload as Record<string, unknown>;
        if (typeof address !== 'string') return 'invalid';
        if (kind === 'unsubscribe') return { kind, address };
        if (kind === 'action' && typeof label === 'string' && typeof deliveryId === 'string') {
          return { kind, address, label, deliveryId };
        }
        return 'invalid';
      } catch (error) {
        return error instanceof errors.JWTExpired ? 'expired' : 'invalid';
      }
    },
  };
}

/**
 * RFC 5321 §4.5.3.1.1: a local part is at most 64 octets, so `reply+<id>.<mac>` must fit in it.
 * Source: https://www.rfc-editor.org/rfc/rfc5321#section-4.5.3.1.1
 */
export const LOCAL_PART_MAX = 64;
/** 16 hex digits (64 bits) of HMAC: unguessable, and lower-case survives servers that fold case. */
const THREAD_MAC_HEX = 16;
const THREAD_ID_PATTERN = /^[0-9a-z_-]+$/;

function threadMac(secret: string, threadId: string): string {
  return createHmac('sha256', secret)
    .update(`thread:${threadId}`)
    .digest('hex')
    .slice(0, THREAD_MAC_HEX);
}

/**
 * The plus-address that routes a reply to its thread, or `undefined` when the thread id cannot
 * make a local part that fits (then `In-Reply-To` and the sender's address do the work).
 *
 * @example
 * ```ts
 * threadReplyAddress('reply@in.acme.example', 'th_1', secret); // 'reply+th_1.3f0c…@in.acme.example'
 * ```
 */
export function threadReplyAddress(
  mailbox: string,
  threadId: string,
  secret: string,
): string | undefined {
  const at = mailbox.lastIndexOf('@');
  const local = mailbox.slice(0, at);
  const token = `${threadId}.${threadMac(secret, threadId)}`;
  if (!THREAD_ID_PATTERN.test(threadId) || `${local}+${token}`.length > LOCAL_PART_MAX) {
    return undefined;
  }
  return `${local}+${token}${mailbox.slice(at)}`;
}

/**
 * The thread id a plus-address names, when its MAC is right (compared in constant time).
 *
 * @example
 * ```ts
 * threadFromAddress('reply+th_1.3f0c…@in.acme.example', secret); // 'th_1'
 * ```
 */
export function threadFromAddress(address: string, secret: string): string | undefined {
  const match = /^[^+@]+\+([0-9a-z_-]+)\.([0-9a-f]+)@/i.exec(address.trim());
  if (match === null) return undefined;
  const threadId = (match[1] as string).toLowerCase();
  const given = Buffer.from((match[2] as string).toLowerCase());
  const expected = Buffer.from(threadMac(secret, threadId));
  return given.length === expected.length && timingSafeEqual(given, expected)
    ? threadId
    : undefined;
}
