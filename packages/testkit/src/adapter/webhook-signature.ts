import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header the test adapter's webhooks are signed in. */
export const TEST_SIGNATURE_HEADER = 'x-threadline-signature';

/** The secret a test adapter uses when none is given. */
export const TEST_WEBHOOK_SECRET = 'threadline-test-secret';

/** `sha256=` then 64 hex digits: the same shape as Meta's `X-Hub-Signature-256`. */
const SIGNATURE_PATTERN = /^sha256=([0-9a-f]{64})$/i;

function digest(body: string | Uint8Array, secret: string): Buffer {
  return createHmac('sha256', secret).update(body).digest();
}

/**
 * Signs a raw webhook body the way the test adapter expects: `sha256=<hex HMAC-SHA256(body,
 * secret)>`, for the `x-threadline-signature` header.
 *
 * @example
 * ```ts
 * const body = JSON.stringify({ events: [{ type: 'message', id: 'm1', from: '+15550001', text: 'hi' }] });
 * const request = new Request(url, {
 *   method: 'POST',
 *   body,
 *   headers: { 'x-threadline-signature': signTestWebhook(body, 'secret') },
 * });
 * ```
 */
export function signTestWebhook(body: string | Uint8Array, secret: string): string {
  return `sha256=${digest(body, secret).toString('hex')}`;
}

/** Why a signature was refused, for the 401 answer. `null` when it is valid. */
export type SignatureProblem = 'missing' | 'malformed' | 'mismatch';

/**
 * Checks a `sha256=<hex>` header against the raw body, in constant time: the comparison does not
 * stop at the first differing byte, so response timing does not leak how much of a forged
 * signature was right.
 *
 * @example
 * ```ts
 * const raw = new Uint8Array(await request.arrayBuffer());
 * const problem = checkTestSignature(raw, request.headers.get('x-threadline-signature'), secret);
 * if (problem) return new Response('invalid signature', { status: 401 });
 * ```
 */
export function checkTestSignature(
  rawBody: Uint8Array,
  header: string | null,
  secret: string,
): SignatureProblem | null {
  if (header === null || header.trim() === '') return 'missing';
  const match = SIGNATURE_PATTERN.exec(header.trim());
  if (!match?.[1]) return 'malformed';
  const given = Buffer.from(match[1], 'hex');
  const expected = digest(rawBody, secret);
  // Both are 32 bytes here (the pattern fixes the length), as timingSafeEqual requires.
  return timingSafeEqual(given, expected) ? null : 'mismatch';
}
