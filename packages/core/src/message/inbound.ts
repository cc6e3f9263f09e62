import type { JsonObject, JsonValue } from './json';
import type { Media } from './media';

/** Who sent an inbound event, as the channel names them. */
export interface Sender {
  /** The channel-native address: E.164 phone, email address, PSID, Teams user id, visitor id. */
  address: string;
  /** The name the platform shows, when it sends one. */
  displayName?: string;
}

/** A location pin sent by a user. */
export interface Location {
  latitude: number;
  longitude: number;
  name?: string;
  address?: string;
}

/** A normalised inbound message, whatever channel it came from. */
export interface InboundMessage {
  /** The provider's id for the message (a wamid, a Twilio SID, a Message-ID). Dedupe key. */
  providerMessageId: string;
  from: Sender;
  /** When the provider says the message was sent. */
  timestamp: Date;
  /** What the user wrote, or the label of the button or row they tapped. Empty for pure media. */
  text: string;
  /** The id behind a tapped button or list row (`button_reply.id`, a quick-reply payload). */
  payload?: string;
  media?: Media[];
  location?: Location;
  /** Shared contact cards, as the provider sent them. */
  contacts?: JsonValue[];
  /** The provider id of the message this one replies to or quotes. */
  replyTo?: string;
  /** Email and other channels with a subject line. */
  subject?: string;
  /** Channel-specific extras an agent may want (email headers, Teams activity fields). */
  metadata?: JsonObject;
}
