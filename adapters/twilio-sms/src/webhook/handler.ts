import {
  type AdapterContext,
  consentKeyword,
  type InboundEvent,
  type OptOutKeywords,
  type WebhookContext,
} from '@threadline/core';
import twilio from 'twilio';
import { choicePayload } from './choices';
import { isJsonBody, param, readForm, readJsonParams, type WebhookParams } from './form';
import { type ParseContext, parseWebhook } from './parse';
import { SIGNATURE_HEADER, signedUrl, verifySignature } from './verify';

/**
 * `handleWebhook`: the signature over the URL and parameters, the parse, numbered replies mapped
 * to their payload, every event emitted in order (each awaited) and then the TwiML answer. If
 * `emit` throws, it propagates: the core answers 500 and Twilio's retry is processed (the core
 * dedupes what was already recorded).
 */

/** What the handler needs from the adapter. */
export interface WebhookHandlerOptions {
  authToken: string;
  /** The public URL configured in Twilio, when the process sees another one. */
  webhookUrl?: string;
  parse: ParseContext;
  keywords: OptOutKeywords;
  /** Answered to HELP/INFO, unless Twilio's Advanced Opt-Out already answered it. */
  helpReply?: string;
  /** The core's context, once `start` has given it (numbered replies need the store). */
  context(): AdapterContext | undefined;
}

const UTF8 = new TextDecoder('utf-8');

function json(status: number, body: Record<string, string>): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

/** TwiML through twilio-node's builder (it escapes the text): `<Response/>`, or one message. */
function twiml(reply: string | undefined): Response {
  const response = new twilio.twiml.MessagingResponse();
  if (reply !== undefined) response.message(reply);
  return new Response(response.toString(), {
    status: 200,
    headers: { 'content-type': 'text/xml' },
  });
}

/** The help reply, when this inbound message is a HELP keyword Twilio did not answer itself. */
function helpAnswer(params: WebhookParams, options: WebhookHandlerOptions): string | undefined {
  if (options.helpReply === undefined || param(params, 'MessageStatus') !== undefined) {
    return undefined;
  }
  if (param(params, 'OptOutType')?.toUpperCase() === 'HELP') return undefined;
  const keyword = consentKeyword(options.keywords, param(params, 'Body') ?? '');
  return keyword?.kind === 'help' ? options.helpReply : undefined;
}

/**
 * Creates the webhook handler of one adapter.
 *
 * @example
 * ```ts
 * const handle = createWebhookHandler({ authToken, parse, keywords, context: () => started });
 * const response = await handle(request, { sink, publicUrl, waitUntil });
 * ```
 */
export function createWebhookHandler(
  options: WebhookHandlerOptions,
): (request: Request, context: WebhookContext) => Promise<Response> {
  return async (request, context) => {
    if (request.method !== 'POST') {
      return new Response(null, { status: 405, headers: { allow: 'POST' } });
    }
    const raw = context.rawBody ?? new Uint8Array(await request.arrayBuffer());
    const body = UTF8.decode(raw);
    const json_ = isJsonBody(request.headers.get('content-type'));
    const params = json_ ? readJsonParams(body) : readForm(body);
    const check = verifySignature(options.authToken, {
      url: signedUrl(options.webhookUrl, request.url, context.publicUrl),
      signature: request.headers.get(SIGNATURE_HEADER),
      body,
      ...(json_ ? {} : { params: params ?? {} }),
    });
    if (check !== 'valid') {
      return json(401, { error: 'invalid_signature', message: `${SIGNATURE_HEADER} is ${check}` });
    }
    if (params === null)
      return json(400, { error: 'invalid_payload', message: 'not a JSON object' });
    const parsed = parseWebhook(params, options.parse);
    if (!parsed.ok) return json(400, { error: 'invalid_payload', message: parsed.reason });
    for (const event of parsed.events) await context.sink.emit(await withPayload(event, options));
    return twiml(helpAnswer(params, options));
  };
}

async function withPayload(
  event: InboundEvent,
  options: WebhookHandlerOptions,
): Promise<InboundEvent> {
  if (event.type !== 'message') return event;
  const { message } = event;
  const payload = await choicePayload(
    { context: options.context(), channel: event.channel },
    message.from.address,
    message.text,
  );
  return payload === undefined ? event : { ...event, message: { ...message, payload } };
}
