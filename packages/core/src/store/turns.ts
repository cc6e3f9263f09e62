import type { WorkLease } from './deliveries';

/** Input to {@link TurnStore.enqueue}: the recorded inbound message an agent turn answers. */
export interface NewPendingTurn {
  threadId: string;
  /** The inbound entry's `seq`; with `threadId` it names the turn (enqueueing it twice is a no-op). */
  seq: number;
  userId: string;
  /** The adapter the message came in on (the reply goes out on it). */
  adapterId: string;
  /** The sender's channel and stored address (the reply goes to exactly this address). */
  channel: string;
  address: string;
  /** Who runs the first attempt: the instance that recorded the message. */
  owner: string;
  /** How long the first attempt's lease lasts (ms, positive) before another instance may take over. */
  leaseMs: number;
}

/** A turn not yet completed, with its attempt count and lease. */
export interface PendingTurn {
  id: string;
  threadId: string;
  seq: number;
  userId: string;
  adapterId: string;
  channel: string;
  address: string;
  /** Attempts started so far, this one included (1 for the first run). */
  attempts: number;
  /** Who runs it now and until when; once it expires, `claimDue` hands it to another instance. */
  lease: WorkLease;
  createdAt: Date;
}

/**
 * Durable agent turns: the turn of a recorded inbound message survives the instance that
 * recorded it. The recording instance enqueues the turn leased to itself and completes it after
 * the agent has run; if it dies first, the lease expires and a live instance claims the turn and
 * runs it again (with the next attempt number).
 *
 * A pending turn holds a user's id and address, so the store's other parts keep it in step:
 * `privacy.eraseUser` deletes it, `privacy.exportUser` lists it (`pendingTurns`), and
 * `users.merge` gives it to the surviving user with the `threadId` and `seq` its message has after
 * the merge.
 */
export interface TurnStore {
  /**
   * Records the turn, leased to `owner` for `leaseMs`, with `attempts` 1. If a turn of
   * `threadId` + `seq` is already pending, changes nothing and resolves `null`. (A completed turn
   * is forgotten: a thread never appends the same `seq` twice.)
   */
  enqueue(input: NewPendingTurn): Promise<PendingTurn | null>;
  /**
   * Leases up to `limit` pending turns whose lease has expired to `owner` for `leaseMs`, adding 1
   * to each one's `attempts`; oldest first (`createdAt`, then `seq`). Never the same turn to two
   * concurrent callers. A turn is not handed out while an earlier turn of its thread (a lower
   * `seq`) is pending under a live lease, or is being claimed by a concurrent caller: leases of
   * one thread's turns run out in any order (each is renewed on its own), and a thread's turns
   * must be taken over in arrival order.
   */
  claimDue(input: { owner: string; limit: number; leaseMs: number }): Promise<PendingTurn[]>;
  /** Extends the lease `owner` holds on turn `id`. `false` if it does not hold it (it expired and was taken). */
  renew(id: string, input: { owner: string; leaseMs: number }): Promise<boolean>;
  /**
   * Ends the turn for good (it ran, or it ran out of attempts): it is never claimed again.
   * `false`, changing nothing, when `owner` no longer holds its lease or it is already complete.
   */
  complete(id: string, owner: string): Promise<boolean>;
  /** The pending turn, or `null` once completed or never enqueued. */
  get(id: string): Promise<PendingTurn | null>;
}
