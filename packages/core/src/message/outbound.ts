import type { MessagePart } from '../components/parts';
import type { JsonObject, JsonValue } from './json';
import type { Media } from './media';

/**
 * Template parameters by name, for the adapter to turn into the provider's components (Meta:
 * header, body and button parameters). An alternative to passing raw `components`.
 */
export interface TemplateValues {
  /** Text parameters by name, or media: `image_url`, `video_url`, `document_url`, `*_id`, `document_filename`. */
  header?: Record<string, string>;
  /** Body parameters by name, e.g. `{ first_name: 'Ann', order_number: '12345' }`. */
  body?: Record<string, string>;
  buttons?: Array<{
    subType: 'quick_reply' | 'url' | 'copy_code' | 'phone_number';
    index: number;
    /** URL suffix, or the text parameter of the button. */
    text?: string;
    /** Quick-reply payload. */
    payload?: string;
    couponCode?: string;
  }>;
}

/** A provider template to send (WhatsApp message templates). */
export interface TemplateMessage {
  name: string;
  /** BCP-47-ish language code as the provider names it, e.g. `en_US`. */
  languageCode: string;
  /** The provider's own component objects (header/body/button parameters), passed through. */
  components?: JsonValue[];
  /** Named parameters; the adapter renders them into components. */
  values?: TemplateValues;
  /** Category, when known (`MARKETING`, `UTILITY`, `AUTHENTICATION`). */
  category?: string;
}

/** Email-only fields of an outbound message. */
export interface EmailFields {
  subject?: string;
  /** Exact HTML; when set, the `text` of the envelope is the plain-text alternative. */
  html?: string;
  cc?: string[];
  bcc?: string[];
  attachments?: Array<{ filename: string; contentType: string; url: string }>;
  /** RFC 5322 threading. */
  inReplyTo?: string;
  references?: string[];
}

/** Where an outbound message goes, as the adapter needs it. */
export interface Recipient {
  /** The channel-native address (E.164, email, PSID, visitor id…). */
  address: string;
  /** Threadline's user id, when known. */
  userId?: string;
  /** The opaque reference the adapter stored on the identity (a Teams ConversationReference). */
  reference?: JsonValue;
}

/**
 * One message for an adapter to send. The core builds it; the adapter renders it (natively where
 * its capabilities say so, text otherwise) and calls the provider.
 */
export interface OutboundEnvelope {
  /** Threadline's delivery id: stable across retries, usable as the provider's idempotency key. */
  deliveryId: string;
  to: Recipient;
  /** The message as the agent wrote it, `:::` blocks included. */
  text?: string;
  /** `text` parsed into parts (the core parses once, adapters render). */
  parts?: MessagePart[];
  /**
   * Text as it is generated, for channels whose capabilities say `streaming`. The adapter shows it
   * as it comes; the finished `text` is still set once the stream ends.
   */
  stream?: AsyncIterable<string>;
  media?: Media[];
  template?: TemplateMessage;
  /** Provider id of the message this one replies to. */
  replyTo?: string;
  /**
   * The message tag the core chose to send this outside the session window (one of the
   * adapter's `windowTags`); the adapter sends it as the provider's tag.
   */
  tag?: string;
  email?: EmailFields;
  /** Free-form extras from the host, passed to the adapter untouched. */
  metadata?: JsonObject;
  /**
   * The thread entry that records this message, when there is one: channels that show the thread
   * itself (web chat) number their messages by `seq`.
   */
  entry?: { threadId: string; seq: number };
}

/** What a provider said when it took a message. */
export interface SendResult {
  /** The provider's id for the (first) message sent: wamid, SID, Message-ID, activity id. */
  providerMessageId: string;
  /** Ids of every message when the text was split into several. */
  providerMessageIds?: string[];
  /** The state the provider acknowledged. `accepted` unless the provider already reports more. */
  status?: 'accepted' | 'sent' | 'delivered';
  /** The address the provider actually used (WhatsApp may normalise the number). */
  address?: string;
}
