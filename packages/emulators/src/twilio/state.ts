import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock';

/**
 * What the emulated account holds: every message (both directions) by SID, each phone's
 * conversation, the opt-outs Twilio keeps (per sender and recipient pair, or per Messaging
 * Service), and carrier failures queued on demand.
 */

/** A Message resource as the emulator keeps it. */
export interface SmsMessage {
  sid: string;
  direction: 'outbound-api' | 'inbound' | 'outbound-reply';
  from: string;
  to: string;
  body: string;
  mediaUrls: string[];
  status: string;
  errorCode: number | null;
  messagingServiceSid: string | null;
  statusCallback?: string;
  numSegments: number;
  dateCreated: number;
  dateUpdated: number;
}

/** A Message SID: `SM` and 32 hex digits, as Twilio's. */
export function messageSid(): string {
  return `SM${randomBytes(16).toString('hex')}`;
}

/**
 * Segments Twilio would bill, roughly: GSM-7 when the body is plain ASCII (160 / 153 per part),
 * UCS-2 otherwise (70 / 67). Close enough for `num_segments` in an emulator; the adapter's own
 * counter is the exact one. Source: https://www.twilio.com/docs/glossary/what-sms-character-limit
 */
export function roughSegments(body: string): number {
  if (body === '') return 0;
  const gsm = /^[\n\r -~]*$/.test(body);
  const [single, part] = gsm ? [160, 153] : [70, 67];
  return body.length <= single ? 1 : Math.ceil(body.length / part);
}

/** RFC 2822 dates, as Twilio writes `date_created`. */
function rfc2822(ms: number): string {
  return new Date(ms).toUTCString().replace('GMT', '+0000');
}

/** The JSON Twilio answers for a message. Source: https://www.twilio.com/docs/messaging/api/message-resource */
export function messageResource(accountSid: string, message: SmsMessage): Record<string, unknown> {
  const uri = `/2010-04-01/Accounts/${accountSid}/Messages/${message.sid}`;
  return {
    account_sid: accountSid,
    api_version: '2010-04-01',
    body: message.body,
    date_created: rfc2822(message.dateCreated),
    date_sent:
      message.status === 'queued' || message.status === 'accepted'
        ? null
        : rfc2822(message.dateUpdated),
    date_updated: rfc2822(message.dateUpdated),
    direction: message.direction,
    error_code: message.errorCode,
    error_message: null,
    from: message.from,
    messaging_service_sid: message.messagingServiceSid,
    num_media: String(message.mediaUrls.length),
    num_segments: String(message.numSegments),
    price: null,
    price_unit: 'USD',
    sid: message.sid,
    status: message.status,
    subresource_uris: { media: `${uri}/Media.json` },
    to: message.to,
    uri: `${uri}.json`,
  };
}

/** The emulator's state. */
export interface TwilioState {
  add(message: SmsMessage): SmsMessage;
  get(sid: string): SmsMessage | undefined;
  all(): SmsMessage[];
  /** Messages to and from one phone, oldest first. */
  conversation(phone: string): SmsMessage[];
  phones(): string[];
  /** The number that last wrote to the phone (replies go back to it). */
  lastSenderTo(phone: string): string | undefined;
  optOut(key: string, phone: string): void;
  optIn(key: string, phone: string): void;
  isOptedOut(keys: readonly string[], phone: string): boolean;
  queueFailure(phone: string, code: number): void;
  takeFailure(phone: string): number | undefined;
  update(message: SmsMessage, status: string, errorCode?: number): void;
}

/** Creates the state. */
export function createTwilioState(clock: Clock): TwilioState {
  const messages = new Map<string, SmsMessage>();
  const byPhone = new Map<string, string[]>();
  const optedOut = new Set<string>();
  const failures = new Map<string, number[]>();
  const phoneOf = (message: SmsMessage) =>
    message.direction === 'inbound' ? message.from : message.to;

  return {
    add(message) {
      messages.set(message.sid, message);
      const phone = phoneOf(message);
      byPhone.set(phone, [...(byPhone.get(phone) ?? []), message.sid]);
      return message;
    },
    get: (sid) => messages.get(sid),
    all: () => [...messages.values()],
    conversation: (phone) =>
      (byPhone.get(phone) ?? []).map((sid) => messages.get(sid) as SmsMessage),
    phones: () => [...byPhone.keys()],
    lastSenderTo(phone) {
      const last = (byPhone.get(phone) ?? [])
        .map((sid) => messages.get(sid) as SmsMessage)
        .findLast((message) => message.direction !== 'inbound');
      return last?.from;
    },
    optOut: (key, phone) => void optedOut.add(`${key}|${phone}`),
    optIn: (key, phone) => void optedOut.delete(`${key}|${phone}`),
    isOptedOut: (keys, phone) => keys.some((key) => optedOut.has(`${key}|${phone}`)),
    queueFailure(phone, code) {
      failures.set(phone, [...(failures.get(phone) ?? []), code]);
    },
    takeFailure(phone) {
      const queue = failures.get(phone);
      return queue?.shift();
    },
    update(message, status, errorCode) {
      message.status = status;
      message.dateUpdated = clock.now();
      if (errorCode !== undefined) message.errorCode = errorCode;
    },
  };
}
