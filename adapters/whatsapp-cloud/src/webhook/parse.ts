import {
  type InboundEvent,
  type JsonObject,
  type JsonValue,
  type StatusEvent,
  toE164,
} from '@threadline/core';
import { statusErrorFromGraph } from '../errors';
import { parseEnvelope, parseMessagesValue } from './fast-checks';
import { type EventOrigin, messageEvent, timestampOf } from './messages';
import { StatusSchema, WebhookErrorSchema } from './schema';

/**
 * A verified webhook body → normalised events, in payload order: every entry, every change, and
 * in each change its messages, then statuses, then errors. Meta batches, so one POST can carry
 * many of each.
 */

/** The `object` of WhatsApp Business Account webhooks. */
export const WABA_OBJECT = 'whatsapp_business_account';

/** Meta's delivery states → ours. `played` (a voice message was listened to) counts as read. */
const STATUSES: Record<string, StatusEvent['status']> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  played: 'read',
  failed: 'failed',
};

/** What parsing needs: where events come from, and which number this adapter serves. */
export interface ParseContext {
  origin: EventOrigin;
  phoneNumberId: string;
  /**
   * Every number served behind this callback URL → the adapter id its events belong to (the
   * numbers of `createWhatsAppCloudAdapters`). Without it, only `phoneNumberId` is served.
   */
  routes?: ReadonlyMap<string, string>;
}

/** The adapter a change's number belongs to, or undefined when nobody here serves it. */
function routeOf(context: ParseContext, phoneNumberId: string): string | undefined {
  const routed = context.routes?.get(phoneNumberId);
  if (routed !== undefined) return routed;
  return phoneNumberId === context.phoneNumberId ? context.origin.adapterId : undefined;
}

/** Refuses bytes that are not UTF-8 (Meta sends UTF-8 JSON); one decoder for every webhook. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Events, or why the body is not a WhatsApp webhook at all (answered 400, nothing emitted). */
export type ParseResult = { ok: true; events: InboundEvent[] } | { ok: false; reason: string };

function unsupported(origin: EventOrigin, reason: string, raw: JsonValue): InboundEvent {
  return {
    type: 'unsupported',
    adapterId: origin.adapterId,
    channel: origin.channel,
    reason,
    raw,
    timestamp: new Date(origin.now()),
  };
}

function statusEvent(raw: JsonValue, origin: EventOrigin): InboundEvent {
  const parsed = StatusSchema.safeParse(raw);
  if (!parsed.success) return unsupported(origin, 'malformed status', raw);
  const item = parsed.data;
  const status = STATUSES[item.status];
  if (status === undefined) return unsupported(origin, `status ${item.status}`, raw);
  const address =
    item.recipient_id === undefined ? null : toE164(item.recipient_id, { international: true });
  const [error] = item.errors ?? [];
  // Conversation-based billing sends `conversation` beside `pricing`; both are billing facts.
  const pricing =
    item.pricing || item.conversation
      ? ({
          ...item.pricing,
          ...(item.conversation ? { conversation: item.conversation } : {}),
        } as JsonObject)
      : undefined;
  return {
    type: 'status',
    adapterId: origin.adapterId,
    channel: origin.channel,
    providerMessageId: item.id,
    status,
    timestamp: timestampOf(item.timestamp, origin),
    ...(address === null ? {} : { address }),
    ...(status === 'failed'
      ? { error: error ? statusErrorFromGraph(error) : { category: 'unknown' as const } }
      : {}),
    ...(pricing === undefined ? {} : { pricing }),
  };
}

/** An `errors[]` item of a change: Meta could not deliver webhooks or messages as asked. */
function errorEvent(raw: JsonValue, origin: EventOrigin): InboundEvent {
  const parsed = WebhookErrorSchema.safeParse(raw);
  const error = parsed.success ? parsed.data : {};
  const title = error.title ?? error.message ?? 'unknown error';
  const category = statusErrorFromGraph(error).category;
  return unsupported(origin, `WhatsApp error ${error.code ?? '?'} (${category}): ${title}`, raw);
}

function changeEvents(field: string, value: unknown, raw: JsonValue, context: ParseContext) {
  if (field !== 'messages') return [unsupported(context.origin, `webhook field ${field}`, raw)];
  const parsed = parseMessagesValue(value);
  if (!parsed.success) return [unsupported(context.origin, 'malformed messages change', raw)];
  const { metadata, contacts = [], messages = [], statuses = [], errors = [] } = parsed.data;
  const adapterId = routeOf(context, metadata.phone_number_id);
  if (adapterId === undefined) {
    // Meta has one callback URL per app: events for the app's other numbers arrive here too, and
    // acting on them as a served number would answer from the wrong sender. The core counts them.
    return [
      {
        ...unsupported(
          context.origin,
          `event for phone number id ${metadata.phone_number_id}, which no adapter here serves (serving ${[...(context.routes?.keys() ?? [context.phoneNumberId])].join(', ')})`,
          raw,
        ),
        unroutedSender: metadata.phone_number_id,
      },
    ];
  }
  const origin =
    adapterId === context.origin.adapterId ? context.origin : { ...context.origin, adapterId };
  return [
    ...messages.map((item) => messageEvent(item as JsonValue, contacts, origin)),
    ...statuses.map((item) => statusEvent(item as JsonValue, origin)),
    ...errors.map((item) => errorEvent(item as JsonValue, origin)),
  ];
}

/**
 * Parses a verified body. Not JSON, or not the webhook envelope, is `ok: false` (the adapter
 * answers 400 and emits nothing); anything inside the envelope it does not understand becomes an
 * `unsupported` event carrying the raw JSON.
 *
 * @example
 * ```ts
 * const result = parseWebhook(raw, { origin, phoneNumberId: '106540352242922' });
 * if (result.ok) for (const event of result.events) await sink.emit(event);
 * ```
 */
export function parseWebhook(raw: Uint8Array, context: ParseContext): ParseResult {
  let json: JsonValue;
  try {
    json = JSON.parse(UTF8.decode(raw)) as JsonValue;
  } catch {
    return { ok: false, reason: 'the body is not JSON' };
  }
  const envelope = parseEnvelope(json);
  if (!envelope.success) return { ok: false, reason: 'the body is not a WhatsApp webhook' };
  if (envelope.data.object !== WABA_OBJECT) {
    return {
      ok: true,
      events: [unsupported(context.origin, `object ${envelope.data.object}`, json)],
    };
  }
  const events = envelope.data.entry.flatMap((entry) =>
    entry.changes.flatMap((change) =>
      changeEvents(change.field, change.value, change as unknown as JsonValue, context),
    ),
  );
  return { ok: true, events };
}
