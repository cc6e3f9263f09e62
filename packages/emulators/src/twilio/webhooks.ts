import twilio from 'twilio';
import { postWebhook, type RetryPolicy, type WebhookOutcome } from '../http/webhook-delivery';
import type { SmsMessage } from './state';

/**
 * Webhooks back to the app, signed as Twilio signs them (`X-Twilio-Signature`, computed by
 * twilio-node over the URL and the sorted form parameters): the incoming-message webhook, whose
 * TwiML answer may carry replies, and status callbacks, retried a few times.
 * Sources: https://www.twilio.com/docs/messaging/guides/webhook-request and
 * https://www.twilio.com/docs/messaging/guides/track-outbound-message-status
 */

/** Form headers with the signature over `url` and `params`. */
export function signedHeaders(
  authToken: string,
  url: string,
  params: Record<string, string>,
): Record<string, string> {
  return {
    'content-type': 'application/x-www-form-urlencoded',
    'x-twilio-signature': twilio.getExpectedTwilioSignature(authToken, url, params),
    'i-twilio-idempotency-token': crypto.randomUUID(),
  };
}

/** The parameters of an incoming message. */
export function inboundParams(accountSid: string, message: SmsMessage): Record<string, string> {
  const params: Record<string, string> = {
    ToCountry: 'US',
    SmsMessageSid: message.sid,
    NumMedia: String(message.mediaUrls.length),
    SmsSid: message.sid,
    SmsStatus: 'received',
    Body: message.body,
    To: message.to,
    NumSegments: String(message.numSegments || 1),
    MessageSid: message.sid,
    AccountSid: accountSid,
    From: message.from,
    ApiVersion: '2010-04-01',
  };
  if (message.messagingServiceSid) params.MessagingServiceSid = message.messagingServiceSid;
  message.mediaUrls.forEach((url, index) => {
    params[`MediaUrl${index}`] = url;
    params[`MediaContentType${index}`] = 'image/jpeg';
  });
  return params;
}

/** The parameters of a status callback. */
export function statusParams(accountSid: string, message: SmsMessage): Record<string, string> {
  return {
    SmsSid: message.sid,
    SmsStatus: message.status,
    MessageStatus: message.status,
    To: message.to,
    MessageSid: message.sid,
    AccountSid: accountSid,
    From: message.from,
    ApiVersion: '2010-04-01',
    ...(message.errorCode === null ? {} : { ErrorCode: String(message.errorCode) }),
    ...(message.messagingServiceSid ? { MessagingServiceSid: message.messagingServiceSid } : {}),
  };
}

const MESSAGE_ELEMENT = /<Message\b[^>]*>([\s\S]*?)<\/Message>/g;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** The `<Message>` texts of a TwiML answer (what Twilio would send back to the phone). */
export function twimlReplies(twiml: string): string[] {
  return [...twiml.matchAll(MESSAGE_ELEMENT)].map((match) =>
    (match[1] ?? '').replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => ENTITIES[name] ?? ''),
  );
}

/** What posting the incoming-message webhook gave. */
export interface InboundOutcome {
  ok: boolean;
  status?: number;
  error?: string;
  /** `<Message>` replies in the app's TwiML answer. */
  replies: string[];
}

/**
 * Posts an incoming message once (Twilio does not retry it by default) and reads the TwiML.
 */
export async function postInbound(input: {
  url: string;
  authToken: string;
  params: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal;
}): Promise<InboundOutcome> {
  const signals = [AbortSignal.timeout(input.timeoutMs)];
  if (input.signal) signals.push(input.signal);
  try {
    const response = await fetch(input.url, {
      method: 'POST',
      headers: signedHeaders(input.authToken, input.url, input.params),
      body: new URLSearchParams(input.params).toString(),
      signal: AbortSignal.any(signals),
    });
    const text = await response.text();
    return {
      ok: response.ok,
      status: response.status,
      replies: response.ok ? twimlReplies(text) : [],
      ...(response.ok ? {} : { error: `HTTP ${response.status}` }),
    };
  } catch (error) {
    if (input.signal?.aborted) throw error;
    return { ok: false, error: String(error), replies: [] };
  }
}

/** Posts one status callback, retried per `policy`. */
export function postStatus(input: {
  url: string;
  authToken: string;
  params: Record<string, string>;
  policy: RetryPolicy;
  sleep: (ms: number) => Promise<void>;
  signal?: AbortSignal;
}): Promise<WebhookOutcome> {
  return postWebhook({
    url: input.url,
    body: new URLSearchParams(input.params).toString(),
    headers: signedHeaders(input.authToken, input.url, input.params),
    policy: input.policy,
    sleep: input.sleep,
    ...(input.signal ? { signal: input.signal } : {}),
  });
}
