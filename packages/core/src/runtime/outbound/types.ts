import type { Media } from '../../message/media';
import type { DeliveryStatus } from '../../message/status';

/**
 * What every send reports. `delivered` means the provider accepted the message (the receipts that
 * follow move `status` on); `persisted` means it was recorded to the user's thread. They are
 * independent: a send can be delivered yet not persisted (a Teams `conversationId` send).
 */
export interface SendOutput {
  /** Stable over the delivery's life: pass it to `deliveries.get`. */
  deliveryId: string;
  status: DeliveryStatus;
  delivered: boolean;
  persisted: boolean;
  /** The text is held until the user re-opens the session window (a re-engagement template went out). */
  queued?: boolean;
  userId?: string;
  /** The channel-native address used (E.164, email, PSID…). */
  identifier: string;
  /** The adapter that sends it (`channelIdentifier`). */
  channelIdentifier: string;
  /** The provider's message id, once it accepted the message. */
  messageId?: string;
  warning?: string;
}

/** Options for `reply` inside an agent turn. */
export interface ReplyOptions {
  media?: Media[];
  /** Quote the inbound message (where the channel can). Defaults to no quote. */
  quote?: boolean;
  idempotencyKey?: string;
}

/** What happens when a free-form send meets a closed session window. */
export type ClosedWindowBehaviour = 'queue' | 'fail';
