import type { Delivery } from './deliveries';
import type { ThreadEntry } from './threads';

/**
 * One item's answer from a batch method (`deliveries.createMany`, `deliveries.completeMany`):
 * what the single method would have resolved for it (`ok: true`), or the error it would have
 * rejected with (`ok: false`; nothing of that item was written).
 */
export type BatchOutcome<T> = { ok: true; value: T } | { ok: false; error: Error };

/** What `DeliveryStore.create` resolves. */
export interface DeliveryCreated {
  delivery: Delivery;
  /** False when the idempotency key was already used: `delivery` is the first one, unchanged. */
  created: boolean;
  /** The thread entry written with the delivery (`NewDelivery.threadEntry`), when it was. */
  entry?: ThreadEntry;
}

/** What `DeliveryStore.complete` records: the provider took the message. */
export interface DeliveryCompletion {
  /** The lease holder; another owner's complete changes nothing. */
  owner: string;
  providerMessageId: string;
  /**
   * Every id when the adapter sent several provider messages (`SendResult.providerMessageIds`),
   * the first included. Stored as `Delivery.providerMessageIds` only when there are several.
   */
  providerMessageIds?: readonly string[];
  status: 'accepted' | 'sent' | 'delivered';
  at: Date;
}
