import type { InboundEvent, JsonObject, WebhookContext } from '@threadline/core';
import type { BotFramework, InvokeAnswer } from '../bot-framework';
import { executeAnswer } from '../render/cards';
import { type ParseContext, parseActivity } from './parse';

/**
 * `handleWebhook`: read the activity from the raw bytes, refuse service URLs outside the
 * allow-list, let botbuilder authenticate the JWT (401 before anything is emitted), then emit the
 * activity's events in order, each awaited, before answering. If `emit` throws, botbuilder answers
 * 500 and the Bot Connector retries; the core dedupes what was already recorded.
 */

/** What the handler needs from the adapter. */
export interface WebhookHandlerOptions {
  bot: BotFramework;
  parse: Omit<ParseContext, 'referenceOf' | 'textWithoutBotMention'>;
  /** Service URL prefixes activities may name. */
  serviceUrls: readonly string[];
  /** Called after each event is recorded (the adapter remembers references for typing). */
  onEmitted?(event: InboundEvent): void;
}

function json(status: number, body: Record<string, string>): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

function readObject(raw: Uint8Array): JsonObject | undefined {
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(raw));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as JsonObject)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `url` starts with one of the allowed prefixes (compared as URLs, not raw strings). */
export function isAllowedServiceUrl(url: string, allowed: readonly string[]): boolean {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return false;
  }
  return allowed.some((prefix) => {
    const base = new URL(prefix);
    return (
      target.origin === base.origin &&
      `${target.pathname.replace(/\/?$/, '/')}`.startsWith(base.pathname.replace(/\/?$/, '/'))
    );
  });
}

/**
 * Creates the webhook handler of one adapter.
 *
 * @example
 * ```ts
 * const handle = createWebhookHandler({ bot, parse: { adapterId, now }, serviceUrls });
 * const response = await handle(request, { sink, publicUrl, waitUntil });
 * ```
 */
export function createWebhookHandler(
  options: WebhookHandlerOptions,
): (request: Request, context: WebhookContext) => Promise<Response> {
  const { bot } = options;
  const parseContext: ParseContext = {
    ...options.parse,
    referenceOf: (activity) => bot.referenceOf(activity),
    textWithoutBotMention: (activity) => bot.textWithoutBotMention(activity),
  };
  return async (request, context) => {
    if (request.method !== 'POST') {
      return new Response(null, { status: 405, headers: { allow: 'POST' } });
    }
    const raw = context.rawBody ?? new Uint8Array(await request.arrayBuffer());
    const activity = readObject(raw);
    if (activity === undefined) {
      return json(400, { error: 'invalid_payload', message: 'the body is not a JSON object' });
    }
    const parsed = parseActivity(activity, parseContext);
    if (!parsed.ok) return json(400, { error: 'invalid_payload', message: parsed.reason });
    if (!isAllowedServiceUrl(parsed.activity.serviceUrl, options.serviceUrls)) {
      return json(403, {
        error: 'service_url_not_allowed',
        message: `${parsed.activity.serviceUrl} is not in the serviceUrls option`,
      });
    }
    return bot.process({
      method: request.method,
      authorization: request.headers.get('authorization'),
      activity,
      async onActivity(): Promise<InvokeAnswer | undefined> {
        for (const event of parsed.events) {
          await context.sink.emit(event);
          options.onEmitted?.(event);
        }
        if (parsed.activity.type !== 'invoke') return undefined;
        const first = parsed.events[0];
        if (first?.type !== 'message') return { status: 501 };
        return { status: 200, body: executeAnswer(first.message.text) };
      },
    });
  };
}
