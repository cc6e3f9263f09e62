import { constantTimeEqual } from './signature';

/**
 * The `hub.*` subscription convention (WebSub's verification of intent, which Meta's Graph
 * webhooks use for WhatsApp, Messenger and Instagram): a GET with `hub.mode=subscribe`,
 * `hub.challenge` and `hub.verify_token`, answered with the raw challenge; POSTs signed in
 * `X-Hub-Signature-256`.
 * Source: https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/create-webhook-endpoint
 * Source: https://www.w3.org/TR/websub/#hub-verifies-intent
 */

/** The header carrying `sha256=<hex HMAC-SHA256(raw body, app secret)>` (lower-cased, as `Headers` reads it). */
export const HUB_SIGNATURE_HEADER = 'x-hub-signature-256';

/**
 * Answers a `hub.challenge` verification GET: 200 with the raw `hub.challenge` when `hub.mode` is
 * `subscribe` and `hub.verify_token` matches (compared in constant time), 403 otherwise.
 *
 * @example
 * ```ts
 * answerHubChallenge(new URL('https://x.test/webhooks/wa?hub.mode=subscribe&hub.challenge=42&hub.verify_token=t'), 't');
 * // 200, body '42'
 * ```
 */
export function answerHubChallenge(url: URL, verifyToken: string): Response {
  const mode = url.searchParams.get('hub.mode');
  const token = url.searchParams.get('hub.verify_token') ?? '';
  const challenge = url.searchParams.get('hub.challenge');
  if (mode === 'subscribe' && challenge !== null && constantTimeEqual(token, verifyToken)) {
    return new Response(challenge, { status: 200, headers: { 'content-type': 'text/plain' } });
  }
  return new Response('verification failed', { status: 403 });
}
