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

/** Stores a payload as JSON (dropping `undefined`s, which JSON stores cannot keep). */
export function toStoredPayload(payload: DeliveryPayload): JsonObject {
  return JSON.parse(JSON.stringify(payload)) as JsonObject;
}

/** Reads a stored payload back. Stores only ever hold what {@link toStoredPayload} wrote. */
export function fromStoredPayload(stored: JsonObject): DeliveryPayload {
  return stored as unknown as DeliveryPayload;
}
