import {
  answerHubChallenge as answerHandshake,
  createHmacSha256Verifier as createSignatureVerifier,
  type InboundEvent,
  HUB_SIGNATURE_HEADER as SIGNATURE_HEADER,
  type WebhookContext,
} from '@threadline/core';
import { type ParseContext, parseWebhook } from './parse';

/**
 * `handleWebhook`: the GET handshake, then for a POST the signature over the raw bytes, the
 * parse, and every event emitted in order, each awaited, before the 200. If `emit` throws, it
 * propagates: the core answers 500 and Meta retries the batch (the core dedupes what was
 * already recorded).
 */

/** What the handler needs from the adapter. */
export interface WebhookHandlerOptions {
  appSecret: string;
  verifyToken: string;
  parse: ParseContext;
  /** Called after each event is recorded (the adapter remembers the user's last message id). */
  onEmitted?(event: InboundEvent): void;
}

function json(
  status: number,
  body: Record<string, string>,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/**
 * Creates the webhook handler of one adapter.
 *
 * @example
 * ```ts
 * const handle = createWebhookHandler({ appSecret, verifyToken, parse: { origin, phoneNumberId } });
 * const response = await handle(request, { sink, publicUrl, waitUntil });
 * ```
 */
export function createWebhookHandler(
  options: WebhookHandlerOptions,
): (request: Request, context: WebhookContext) => Promise<Response> {
  const verify = createSignatureVerifier(options.appSecret);
  return async (request, context) => {
    if (request.method === 'GET') return answerHandshake(new URL(request.url), options.verifyToken);
    if (request.method !== 'POST') {
      return json(405, { error: 'method_not_allowed' }, { allow: 'GET, POST' });
    }
    // The raw bytes, read once: the signature is over exactly these, before any JSON parsing.
    const raw = context.rawBody ?? new Uint8Array(await request.arrayBuffer());
    const check = verify(raw, request.headers.get(SIGNATURE_HEADER));
    if (check !== 'valid') {
      return json(401, {
        error: 'invalid_signature',
        message: `${SIGNATURE_HEADER} is ${check}`,
      });
    }
    const parsed = parseWebhook(raw, options.parse);
    if (!parsed.ok) return json(400, { error: 'invalid_payload', message: parsed.reason });
    for (const event of parsed.events) {
      await context.sink.emit(event);
      options.onEmitted?.(event);
    }
    return new Response(null, { status: 200 });
  };
}
