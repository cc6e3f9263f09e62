import type { JsonObject } from '../../message/json';
import type { Media } from '../../message/media';
import type { EmailFields, TemplateMessage } from '../../message/outbound';
import type { ClosedWindowBehaviour } from '../outbound/types';

/**
 * What a delivery carries, stored as JSON on the outbox row so any instance can send it after a
 * restart. Everything the adapter needs except the recipient's live reference, which is read from
 * the identity at send time (a Teams reference may have changed since).
 */
export interface DeliveryPayload {
  text?: string;
  media?: Media[];
  template?: TemplateMessage;
  replyTo?: string;
  /** The message tag it is sent with, outside the session window (recorded on the delivery). */
  tag?: string;
  email?: EmailFields;
  /** What a closed window should do to this delivery when the provider reports it (131047). */
  onClosedWindow?: ClosedWindowBehaviour;
  /** The thread text for a template (its `messageContext`) or a held message, recorded on release. */
  threadText?: string;
  /** Set while the delivery waits behind a closed window: its thread entry is written on release. */
  held?: boolean;
  /** The text was streamed to a channel that shows it as it is generated; it is not stored here. */
  streamed?: boolean;
  /**
   * The W3C `traceparent` of the span that created the delivery (an agent turn, a job, a host
   * request), so every later attempt, on any instance, is traced as its child.
   */
  traceparent?: string;
}

/**
 * Stores a payload as JSON (dropping `undefined`s, which JSON stores cannot keep), with the
 * creating span's `traceparent` when there is one. A payload of strings and booleans only (a
 * plain text send) is copied field by field, which gives the same object as the JSON round trip
 * that anything nested goes through, without serialising every send (bench B5).
 *
 * @example
 * ```ts
 * toStoredPayload({ text: 'Hi', replyTo: undefined }); // { text: 'Hi' }
 * ```
 */
export function toStoredPayload(payload: DeliveryPayload, traceparent?: string): JsonObject {
  const stored: JsonObject = {};
  for (const key in payload) {
    const value = payload[key as keyof DeliveryPayload];
    // The argument replaces a traceparent the payload carries, even with none.
    if (value === undefined || key === 'traceparent' || !Object.hasOwn(payload, key)) continue;
    if (typeof value !== 'string' && typeof value !== 'boolean') {
      return JSON.parse(JSON.stringify({ ...payload, traceparent })) as JsonObject;
    }
    stored[key] = value;
  }
  if (traceparent !== undefined) stored.traceparent = traceparent;
  return stored;
}

/** Reads a stored payload back. Stores only ever hold what {@link toStoredPayload} wrote. */
export function fromStoredPayload(stored: JsonObject): DeliveryPayload {
  return stored as unknown as DeliveryPayload;
}
