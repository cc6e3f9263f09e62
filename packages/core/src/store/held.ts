/**
 * A message held behind a closed session window. The text lives on its delivery (parked with
 * `nextAttemptAt: null`); this records which user and channel it waits for.
 */
export interface HeldMessage {
  id: string;
  userId: string;
  channel: string;
  deliveryId: string;
  heldAt: Date;
}

/** Messages waiting for a user to re-engage on a channel. */
export interface HeldMessageStore {
  hold(input: {
    userId: string;
    channel: string;
    deliveryId: string;
    heldAt: Date;
  }): Promise<HeldMessage>;
  /**
   * Takes every message held for the user on the channel, oldest first. Each held message is
   * returned by exactly one call, however many run at once.
   */
  release(input: { userId: string; channel: string }): Promise<HeldMessage[]>;
  list(userId: string): Promise<HeldMessage[]>;
}
