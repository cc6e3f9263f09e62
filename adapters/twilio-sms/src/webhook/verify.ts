import twilio from 'twilio';

/**
 * `X-Twilio-Signature`, checked by twilio-node (never by our own HMAC): HMAC-SHA1 with the auth
 * token over the URL Twilio called followed by the POST parameters sorted by name. The SDK also
 * tries the URL with and without its default port (Twilio signs whichever form was configured).
 * JSON bodies carry `bodySHA256=<hex>` in the query: the signature covers the URL only, and the
 * SDK checks the body against that hash.
 * Source: https://www.twilio.com/docs/usage/webhooks/webhooks-security
 */

/** The header carrying the base64 signature. */
export const SIGNATURE_HEADER = 'x-twilio-signature';

/** What the signature check found. */
export type SignatureCheck = 'valid' | 'missing' | 'mismatch';

/** One webhook as the check needs it. */
export interface SignedRequest {
  /** The URL Twilio called, exactly as configured in Twilio (scheme, host, port, path, query). */
  url: string;
  signature: string | null;
  /** Form parameters (a repeated name carries every value), or `undefined` for a JSON body. */
  params?: Record<string, string | string[]>;
  /** The raw body text, for JSON bodies. */
  body: string;
}

/**
 * Checks one request against the auth token.
 *
 * @example
 * ```ts
 * verifySignature('12345', { url, signature: request.headers.get(SIGNATURE_HEADER), params, body });
 * // 'valid'
 * ```
 */
export function verifySignature(authToken: string, request: SignedRequest): SignatureCheck {
  const signature = request.signature?.trim();
  if (!signature) return 'missing';
  try {
    const valid =
      request.params === undefined
        ? twilio.validateRequestWithBody(authToken, signature, request.url, request.body)
        : twilio.validateRequest(authToken, signature, request.url, request.params);
    return valid ? 'valid' : 'mismatch';
  } catch {
    // A URL the SDK cannot parse, or a JSON body without `bodySHA256`: not a request Twilio signed.
    return 'mismatch';
  }
}

/**
 * The URL to verify against: the host's configured public URL (behind a proxy or tunnel the
 * process sees another host, scheme or port) with the query string the request arrived with,
 * else the core's `publicUrl`.
 *
 * @example
 * ```ts
 * signedUrl('https://example.com/webhooks/sms', 'http://10.0.0.5:3000/webhooks/sms?x=1', '…');
 * // 'https://example.com/webhooks/sms?x=1'
 * ```
 */
export function signedUrl(
  configured: string | undefined,
  requestUrl: string,
  publicUrl: string,
): string {
  if (configured === undefined) return publicUrl;
  const base = new URL(configured);
  const { search } = new URL(requestUrl);
  return `${base.origin}${base.pathname}${search || base.search}`;
}
