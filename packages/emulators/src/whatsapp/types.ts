import type { WebhookOutcome } from '../http/webhook-delivery';
import type { SendBody } from './validate';

/** Where a message the business sent stands. `refused` never got a wamid (131047 answered 400). */
export type BusinessMessageStatus =
  | 'accepted'
  | 'sent'
  | 'delivered'
  | 'read'
  | 'failed'
  | 'refused';

/** A message the business (the app under test) sent to a person, as the emulator recorded it. */
export interface BusinessMessage {
  side: 'business';
  /** The wamid returned to the app (for `refused` messages an emulator-only id). */
  id: string;
  /** The person's `wa_id`. */
  to: string;
  type: SendBody['type'];
  /** The validated request body, as sent. */
  body: SendBody;
  /** Emulator-clock milliseconds when it was accepted (or refused). */
  at: number;
  status: BusinessMessageStatus;
  /** Why it was refused or failed. */
  error?: { code: number; title: string; details: string };
}

/** A message the object `messages[]` of an inbound webhook carries (from, id, timestamp, type…). */
export type InboundMessagePayload = {
  from: string;
  id: string;
  timestamp: string;
  type: string;
} & Record<string, unknown>;

/** A message a person sent to the business. */
export interface PersonMessage {
  side: 'person';
  id: string;
  /** The person's `wa_id`. */
  from: string;
  type: string;
  at: number;
  /** Exactly what the webhook carried in `messages[0]`. */
  message: InboundMessagePayload;
  /** The business called mark-as-read on it (or on a later message). */
  readByBusiness: boolean;
  /** How posting it to the app went; absent while it is still being posted. */
  webhook?: WebhookOutcome;
}

/** Either side of a conversation, in the order it happened. */
export type ConversationEntry = BusinessMessage | PersonMessage;

/** Bytes the emulator holds for the Media API. */
export interface StoredMedia {
  id: string;
  mimeType: string;
  /** Hex SHA-256 of the bytes, as the Media API reports it. */
  sha256: string;
  bytes: Uint8Array;
  filename?: string;
}

/** A webhook the app never accepted, after every retry. */
export interface WebhookFailure {
  /** `message` for a person's message, `status` for a status update. */
  kind: 'message' | 'status';
  /** The webhook body that was posted. */
  payload: unknown;
  outcome: WebhookOutcome;
  at: number;
}

/** A status webhook the emulator posted. */
export interface StatusEvent {
  messageId: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  recipient: string;
  outcome: WebhookOutcome;
}

/** A Graph error the emulator answered with. */
export interface GraphErrorEvent {
  code: number;
  httpStatus: number;
  details?: string;
  path: string;
}

/** The events of a WhatsApp emulator, by name. */
export interface WhatsAppEmulatorEvents {
  /** The app sent a message (accepted, or refused for a closed window). */
  'business-message': BusinessMessage;
  /** A status webhook was posted (after its retries). */
  status: StatusEvent;
  /** A person's message was posted to the app (after its retries). */
  'person-message': PersonMessage;
  /** The app marked a person's messages read. */
  'business-read': { waId: string; messageIds: string[] };
  /** The app showed a typing indicator to a person. */
  typing: { waId: string; until: number };
  /** The emulator answered a Graph request with an error. */
  'graph-error': GraphErrorEvent;
  /** A webhook failed after every retry. */
  'webhook-failure': WebhookFailure;
  /** Background work failed unexpectedly (a bug in the emulator, not in the app). */
  error: unknown;
}
