import type {
  InboundEvent,
  JsonObject,
  Media,
  MediaKind,
  MessageEvent,
  StatusEvent,
} from '@threadline/core';
import { statusErrorFromTwilio } from '../errors';
import { param, type WebhookParams } from './form';

/**
 * Verified webhook parameters → normalised events. One URL serves both kinds Twilio posts: an
 * inbound message (`Body`, `From`, `NumMedia`…, `SmsStatus=received`) and a status callback
 * (`MessageStatus`, `ErrorCode`). Addresses are passed on as Twilio wrote them (E.164); the core
 * normalises them.
 * Sources: https://www.twilio.com/docs/messaging/guides/webhook-request and
 * https://www.twilio.com/docs/messaging/api/message-resource#message-status-values
 */

/** Twilio's message statuses → ours; `queued`, `sending` and `scheduled` are still Twilio's. */
const STATUSES: Record<string, StatusEvent['status']> = {
  accepted: 'accepted',
  scheduled: 'accepted',
  queued: 'accepted',
  sending: 'accepted',
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  undelivered: 'failed',
  failed: 'failed',
  canceled: 'failed',
};

/** Statuses of an inbound message, which also carry `SmsStatus`/`MessageStatus`. */
const INBOUND_STATUSES = new Set(['received', 'receiving']);

/** What parsing needs: where events come from, and which account this adapter serves. */
export interface ParseContext {
  adapterId: string;
  accountSid: string;
  now(): number;
}

/** Events, or why the body is not a Twilio messaging webhook (answered 400, nothing emitted). */
export type ParseResult = { ok: true; events: InboundEvent[] } | { ok: false; reason: string };

function mediaKind(contentType: string | undefined): MediaKind {
  const type = contentType?.split('/')[0];
  if (type === 'image' || type === 'video' || type === 'audio') return type;
  return 'document';
}

/** `MediaUrl0…`, `MediaContentType0…`, as many as `NumMedia` says. */
function mediaOf(params: WebhookParams): Media[] {
  const count = Number(param(params, 'NumMedia') ?? '0');
  const media: Media[] = [];
  for (let i = 0; Number.isInteger(count) && i < Math.min(count, 10); i += 1) {
    const url = param(params, `MediaUrl${i}`);
    if (url === undefined) continue;
    const mimeType = param(params, `MediaContentType${i}`);
    media.push({ kind: mediaKind(mimeType), url, ...(mimeType ? { mimeType } : {}) });
  }
  return media;
}

function unsupported(context: ParseContext, reason: string, params: WebhookParams): InboundEvent {
  return {
    type: 'unsupported',
    adapterId: context.adapterId,
    channel: 'sms',
    reason,
    raw: params as JsonObject,
    timestamp: new Date(context.now()),
  };
}

function statusEvent(params: WebhookParams, context: ParseContext, sid: string): InboundEvent {
  const twilioStatus = param(params, 'MessageStatus') ?? '';
  const status = STATUSES[twilioStatus];
  if (status === undefined) return unsupported(context, `status ${twilioStatus}`, params);
  const to = param(params, 'To');
  const errorCode = param(params, 'ErrorCode');
  return {
    type: 'status',
    adapterId: context.adapterId,
    channel: 'sms',
    providerMessageId: sid,
    status,
    timestamp: new Date(context.now()),
    ...(to === undefined ? {} : { address: to }),
    ...(status === 'failed' ? { error: statusErrorFromTwilio(errorCode) } : {}),
  };
}

/** Extras an agent may want, as Twilio named them. */
function metadataOf(params: WebhookParams): JsonObject {
  const metadata: JsonObject = {};
  for (const name of ['To', 'MessagingServiceSid', 'NumSegments', 'OptOutType', 'FromCountry']) {
    const value = param(params, name);
    if (value !== undefined && value !== '') metadata[name] = value;
  }
  return metadata;
}

function inboundEvents(params: WebhookParams, context: ParseContext, sid: string) {
  const from = param(params, 'From');
  if (from === undefined || from === '')
    return [unsupported(context, 'message without From', params)];
  const timestamp = new Date(context.now());
  const media = mediaOf(params);
  const message: MessageEvent = {
    type: 'message',
    adapterId: context.adapterId,
    channel: 'sms',
    message: {
      providerMessageId: sid,
      from: { address: from },
      timestamp,
      text: param(params, 'Body') ?? '',
      ...(media.length === 0 ? {} : { media }),
      metadata: metadataOf(params),
    },
  };
  // Advanced Opt-Out reports the keyword's meaning (custom keywords, other languages). The
  // consent change goes first, so an agent woken by the message already sees it.
  const optOutType = param(params, 'OptOutType')?.toUpperCase();
  const consent: InboundEvent[] =
    optOutType === 'STOP' || optOutType === 'START'
      ? [
          {
            type: optOutType === 'STOP' ? 'opt-out' : 'opt-in',
            adapterId: context.adapterId,
            channel: 'sms',
            from: { address: from },
            timestamp,
            keyword: (param(params, 'Body') ?? optOutType).trim(),
            providerMessageId: sid,
          },
        ]
      : [];
  return [...consent, message];
}

/**
 * Parses verified parameters. Without a message SID, or for another account, the body is not a
 * messaging webhook of this adapter.
 *
 * @example
 * ```ts
 * parseWebhook({ MessageSid: 'SM…', AccountSid: 'AC…', From: '+15558675310', Body: 'hi', … }, context);
 * // { ok: true, events: [{ type: 'message', message: { text: 'hi', … } }] }
 * ```
 */
export function parseWebhook(params: WebhookParams, context: ParseContext): ParseResult {
  const sid = param(params, 'MessageSid') ?? param(params, 'SmsSid');
  if (sid === undefined || sid === '') {
    return { ok: false, reason: 'the body has no MessageSid: not a messaging webhook' };
  }
  const account = param(params, 'AccountSid');
  if (account !== undefined && account !== context.accountSid) {
    return {
      ok: true,
      events: [
        unsupported(
          context,
          `event for account ${account}; this adapter serves ${context.accountSid}`,
          params,
        ),
      ],
    };
  }
  const status = param(params, 'MessageStatus');
  if (status !== undefined && !INBOUND_STATUSES.has(status)) {
    return { ok: true, events: [statusEvent(params, context, sid)] };
  }
  return { ok: true, events: inboundEvents(params, context, sid) };
}
