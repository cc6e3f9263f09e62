import type { DeliveryErrorCategory } from '../errors/categories';
import type { InboundMessage, Sender } from '../message/inbound';
import type { JsonObject, JsonValue } from '../message/json';
import type { DeliveryStatus } from '../message/status';

/**
 * What adapters hand to the core after verifying and parsing a webhook (or a socket frame, or an
 * SMTP session). Every event names the adapter it came from; the core fills in the rest.
 */
interface EventBase {
  /** The adapter that produced the event (its `id`). */
  adapterId: string;
  /** The channel (`whatsapp`, `sms`, …), so a handler never needs the adapter to know it. */
  channel: string;
}

/** A user wrote something. */
export interface MessageEvent extends EventBase {
  type: 'message';
  message: InboundMessage;
  /**
   * The Threadline user the adapter has authenticated the sender as (a web chat visitor token
   * signed for that user). The core binds the address to this user instead of resolving it.
   * Only for adapters that verified it themselves; never copy it from untrusted input.
   */
  userId?: string;
  /** An opaque reference to keep on the identity for later sends (a Teams ConversationReference). */
  reference?: JsonValue;
}

/** A provider reported a delivery's progress. */
export interface StatusEvent extends EventBase {
  type: 'status';
  /** The provider's message id the status is about (matches `SendResult.providerMessageId`). */
  providerMessageId: string;
  status: Exclude<DeliveryStatus, 'queued'>;
  timestamp: Date;
  /** The recipient's address, when the provider says. */
  address?: string;
  /** For `failed`: the provider's error, mapped to a category by the adapter. */
  error?: {
    category: DeliveryErrorCategory;
    providerCode?: string;
    title?: string;
    detail?: string;
  };
  /** Pricing or billing information, as the provider sent it. */
  pricing?: JsonObject;
}

/**
 * A receipt by watermark (Messenger, Instagram): the user has received (`delivered`) or seen
 * (`read`) every message sent to them before `watermark`, rather than one message id. The core
 * advances every delivery from this adapter to that address sent at or before it.
 */
export interface WatermarkStatusEvent extends EventBase {
  type: 'status-watermark';
  status: 'delivered' | 'read';
  /** Everything sent to `address` at or before this time has reached this status. */
  watermark: Date;
  /** The recipient whose receipt it is (their channel address: a PSID, an IGSID). */
  address: string;
  timestamp: Date;
}

/**
 * A message the business side sent outside Threadline and the provider echoed back (Messenger's
 * `is_echo`: a person answering from the Page inbox). The core records it to the user's thread as
 * an outbound entry written by a human agent, so the agent knows what the user was told. It is
 * never sent again, and an echo of a message Threadline itself sent (found by its provider id)
 * is not recorded twice.
 */
export interface EchoEvent extends EventBase {
  type: 'echo';
  /** The user the message went to. */
  to: Sender;
  /** The message as sent (its `from` is the business side, e.g. the Page id). */
  message: InboundMessage;
  /** Who sent it, when the provider says (Meta's `app_id` of the app or inbox that sent it). */
  sentBy?: string;
}

/** A user reacted to a message (an empty `emoji` removes the reaction). */
export interface ReactionEvent extends EventBase {
  type: 'reaction';
  from: Sender;
  providerMessageId: string;
  /** The provider id of the message reacted to. */
  targetMessageId: string;
  emoji: string;
  timestamp: Date;
}

/** A user opted out (`STOP`) or back in (`START`), by keyword or through the provider. */
export interface ConsentEvent extends EventBase {
  type: 'opt-out' | 'opt-in';
  from: Sender;
  timestamp: Date;
  /** The keyword that triggered it, when there was one. */
  keyword?: string;
  /** The provider id of the message that carried the keyword; also recorded as a message. */
  providerMessageId?: string;
}

/**
 * The conversation itself changed: a Teams app installed (carries the reference for proactive
 * sends), a web chat visitor connected, a member added or removed.
 */
export interface ConversationUpdateEvent extends EventBase {
  type: 'conversation-update';
  from: Sender;
  action: 'installed' | 'uninstalled' | 'member-added' | 'member-removed' | 'connected' | 'other';
  reference?: JsonValue;
  /** As on {@link MessageEvent}: the user the adapter authenticated the sender as. */
  userId?: string;
  timestamp: Date;
  /** What the provider said about it (a Messenger referral's `ref`, `source`, `ad_id`), for the host. */
  metadata?: JsonObject;
}

/** A user is typing (web chat, Teams). */
export interface TypingEvent extends EventBase {
  type: 'typing';
  from: Sender;
  timestamp: Date;
}

/**
 * Something arrived that the adapter does not understand or the provider flagged as unsupported.
 * Never dropped silently: the host sees it and the raw payload is kept.
 */
export interface UnsupportedEvent extends EventBase {
  type: 'unsupported';
  reason: string;
  /**
   * Set when the event is for a sender of the provider's that no adapter here serves (a WhatsApp
   * `phone_number_id` of the same Meta app): the core logs it and emits `webhook.unrouted` with a
   * running count, so a number missing from the configuration is noticed.
   */
  unroutedSender?: string;
  from?: Sender;
  providerMessageId?: string;
  raw: JsonValue;
  timestamp: Date;
}

/** Any normalised inbound event. */
export type InboundEvent =
  | MessageEvent
  | StatusEvent
  | WatermarkStatusEvent
  | EchoEvent
  | ReactionEvent
  | ConsentEvent
  | ConversationUpdateEvent
  | TypingEvent
  | UnsupportedEvent;

/** The `type` of an {@link InboundEvent}. */
export type InboundEventType = InboundEvent['type'];

/** What the core did with an emitted event. */
export interface EmitReceipt {
  /** Whether the event was recorded now (`false` for a duplicate or an event that records nothing). */
  recorded: boolean;
  /** The event was seen before (the provider retried, or a client resent). */
  duplicate?: boolean;
  /**
   * The message failed to record too many times (`inbound.maxAttempts`) and is now a dead letter
   * (`store.deadLetters`): answer the provider 2xx so it stops retrying.
   */
  deadLettered?: boolean;
  /** For a recorded message: where it sits. A web chat server acks the client with `seq`. */
  userId?: string;
  threadId?: string;
  seq?: number;
}

/**
 * Where adapters put the events they parsed. `emit` resolves once the core has recorded the event
 * durably (dedupe claimed, message appended), so a webhook may answer 200 after awaiting it and the
 * provider's retry covers any failure before that point.
 */
export interface EventSink {
  emit(event: InboundEvent): Promise<EmitReceipt>;
}
