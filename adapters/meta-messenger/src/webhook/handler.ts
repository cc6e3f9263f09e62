import {
  answerHubChallenge,
  createHmacSha256Verifier,
  HUB_SIGNATURE_HEADER,
  type WebhookContext,
} from '@threadline/core';
import { type ParseContext, parseWebhook } from './parse';

/**
 * `handleWebhook`: the GET handshake, then for a POST the signature over the raw bytes (401 and
 * nothing emitted when it fails), the parse, and every event emitted in order, each awaited,
 * before the 200. If `emit` throws, the core answers 500 and Meta retries the batch (the core
 * dedupes what was already recorded).
 */

/** What the handler needs from the adapter. */
export interface WebhookHandlerOptions {
  appSecret: string;
  verifyToken: string;
  parse: ParseContext;
}

function problem(status: number, error: string, message: string): Response {
  return new Response(JSON.stringify({ error, message }), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

/**
 * Creates the webhook handler of one adapter.
 *
 * @example
 * ```ts
 * const handle = createWebhookHandler({ appSecret, verifyToken, parse });
 * const response = await handle(request, { sink, publicUrl, waitUntil });
 * ```
 */
export function createWebhookHandler(
  options: WebhookHandlerOptions,
): (request: Request, context: WebhookContext) => Promise<Response> {
  const verify = createHmacSha256Verifier(options.appSecret);
  return async (request, context) => {
    if (request.method === 'GET')
      return answerHubChallenge(new URL(request.url), options.verifyToken);
    if (request.method !== 'POST') {
      return new Response(null, { status: 405, headers: { allow: 'GET, POST' } });
    }
    const raw = context.rawBody ?? new Uint8Array(await request.arrayBuffer());
    const check = verify(raw, request.headers.get(HUB_SIGNATURE_HEADER));
    if (check !== 'valid') {
      return problem(401, 'invalid_signature', `${HUB_SIGNATURE_HEADER} is ${check}`);
    }
    const parsed = parseWebhook(raw, options.parse);
    if (!parsed.ok) return problem(400, 'invalid_payload', parsed.reason);
    for (const event of parsed.events) await context.sink.emit(event);
    return new Response(null, { status: 200 });
  };
}
