import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Meta's two webhook checks: the `hub.challenge` handshake (GET) and the `X-Hub-Signature-256`
 * HMAC over the raw body (POST). The HMAC is `node:crypto`'s, which Node, Deno, Bun and
 * Cloudflare Workers (`nodejs_compat`) all provide: Web Crypto's `subtle.verify` is asynchronous
 * and hands every call to a worker job, which cost about a sixth of a webhook's CPU time in the
 * B1 benchmark.
 * Source: https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/create-webhook-endpoint
 */

/** The header carrying `sha256=<hex HMAC-SHA256(raw body, app secret)>`. */
export const SIGNATURE_HEADER = 'x-hub-signature-256';

/** `sha256=` then 64 hex digits: anything else is malformed and refused without computing. */
const SIGNATURE_PATTERN = /^sha256=([0-9a-f]{64})$/i;

/** What the signature check found. */
export type SignatureCheck = 'valid' | 'missing' | 'malformed' | 'mismatch';

/**
 * Creates the POST signature check for one app secret. The comparison is `timingSafeEqual`, so
 * the time taken says nothing about how much of a forged signature was right.
 *
 * @example
 * ```ts
 * const verify = createSignatureVerifier(appSecret);
 * verify(rawBody, request.headers.get(SIGNATURE_HEADER)); // 'valid'
 * ```
 */
export function createSignatureVerifier(
  appSecret: string,
): (raw: Uint8Array, header: string | null) => SignatureCheck {
  const key = Buffer.from(appSecret, 'utf8');
  return (raw, header) => {
    if (header === null || header.trim() === '') return 'missing';
    const match = SIGNATURE_PATTERN.exec(header.trim());
    if (match === null) return 'malformed';
    // 64 hex digits always decode to the 32 bytes of a SHA-256 MAC: the lengths match.
    const given = Buffer.from(match[1] as string, 'hex');
    const expected = createHmac('sha256', key).update(raw).digest();
    return timingSafeEqual(given, expected) ? 'valid' : 'mismatch';
  };
}

/**
 * Compares two strings in time that depends only on the longer length, not on where they differ
 * (the verify token is a shared secret too).
 *
 * @example
 * ```ts
 * constantTimeEqual(url.searchParams.get('hub.verify_token') ?? '', verifyToken);
 * ```
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = new TextEncoder().encode(a);
  const right = new TextEncoder().encode(b);
  let difference = left.length ^ right.length;
  const length = Math.max(left.length, right.length);
  for (let i = 0; i < length; i += 1) difference |= (left[i] ?? 0) ^ (right[i] ?? 0);
  return difference === 0;
}

/**
 * Answers Meta's verification GET: 200 with the raw `hub.challenge` when `hub.mode` is
 * `subscribe` and `hub.verify_token` matches, 403 otherwise.
 *
 * @example
 * ```ts
 * answerHandshake(new URL('https://x.test/webhooks/wa?hub.mode=subscribe&hub.challenge=42&hub.verify_token=t'), 't');
 * // 200, body '42'
 * ```
 */
export function answerHandshake(url: URL, verifyToken: string): Response {
  const mode = url.searchParams.get('hub.mode');
  const token = url.searchParams.get('hub.verify_token') ?? '';
  const challenge = url.searchParams.get('hub.challenge');
  if (mode === 'subscribe' && challenge !== null && constantTimeEqual(token, verifyToken)) {
    return new Response(challenge, { status: 200, headers: { 'content-type': 'text/plain' } });
  }
  return new Response('verification failed', { status: 403 });
}
