import type { ErrorCategory } from '../errors/categories';
import type { JsonObject } from '../message/json';
import type { DeliveryStatus } from '../message/status';
import type { BatchOutcome, DeliveryCompletion, DeliveryCreated } from './delivery-batch';
import type { NewThreadEntry } from './threads';

/** Who moved a delivery to a status. */
export type DeliveryEventSource = 'dispatcher' | 'provider' | 'policy' | 'host';

/** One step of a delivery's history. */
export interface DeliveryEvent {
  status: DeliveryStatus;
  at: Date;
  source: DeliveryEventSource;
  /** Absent (no key at all, as after a JSON round trip) when the step was recorded without one. */
  detail?: string;
}

/** Why a delivery failed (or why its last attempt did), as stored. */
export interface DeliveryFailure {
  category: ErrorCategory;
  code: string;
  message: string;
  retryable: boolean;
  provider?: string;
  providerCode?: string;
  title?: string;
  httpStatus?: number;
}

/** A lease on a delivery or job being worked on by one instance. */
export interface WorkLease {
  owner: string;
  expiresAt: Date;
}

/** What a delivery was created for. */
export type DeliveryOrigin = 'send' | 'reply' | 'template' | 'bulk' | 'job' | 're-engagement';

/** Input to {@link DeliveryStore.create}. */
export interface NewDelivery {
  channel: string;
  adapterId: string;
  /** The channel-native address it goes to. */
  recipient: string;
  /** The message to send: the serialised envelope without its delivery id. */
  payload: JsonObject;
  origin: DeliveryOrigin;
  agentId?: string;
  userId?: string;
  threadId?: string;
  idempotencyKey?: string;
  templateName?: string;
  /**
   * When to make the first attempt. `null` parks the delivery (a held message waiting for the
   * window to reopen) until {@link DeliveryStore.schedule} sets a time.
   */
  nextAttemptAt: Date | null;
  /**
   * Create it already claimed by `owner` for `ms` (counting the first attempt), so the instance
   * that creates a delivery can attempt it at once while a crash still hands it to another
   * instance once the lease expires.
   */
  lease?: { owner: string; ms: number };
  /**
   * Optional: the thread entry that records this message, appended to `threadId` in the same
   * commit as the delivery, its `deliveryId` set to the new delivery's id ("one commit per
   * fact": no message is sent that its thread never shows). Either both are written or neither
   * (an unknown or absent `threadId` is a `NotFoundError` of `kind` `'thread'`, naming the
   * `threadId`, and creates no delivery); a repeated
   * idempotency key writes neither. A store that supports it returns the entry from `create`;
   * one that does not ignores the field, and the runtime appends the entry itself.
   */
  threadEntry?: Omit<NewThreadEntry, 'deliveryId'>;
}

/** A message on its way out: the outbox row and its history. */
export interface Delivery extends Omit<NewDelivery, 'nextAttemptAt' | 'lease' | 'threadEntry'> {
  id: string;
  status: DeliveryStatus;
  /** Attempts made so far (incremented when an instance claims it). */
  attempts: number;
  nextAttemptAt: Date | null;
  lease: WorkLease | null;
  /** The provider's id for the (first) message sent, once `complete` recorded it. */
  providerMessageId?: string;
  /**
   * Every provider id, `providerMessageId` first, when the adapter split the message into several
   * provider messages (a WhatsApp text over 4,096 characters, SMS segments). Absent for a message
   * sent as one: then `providerMessageId` is the only id.
   */
  providerMessageIds?: string[];
  error?: DeliveryFailure;
  pricing?: JsonObject;
  events: DeliveryEvent[];
  createdAt: Date;
  /** When the store last wrote the delivery, by its clock: not the `at` a write records in `events`. */
  updatedAt: Date;
}

/** Filters for {@link DeliveryStore.list}. Results come newest first. */
export interface DeliveryQuery {
  userId?: string;
  status?: DeliveryStatus;
  channel?: string;
  /** Only deliveries created at or after this time. */
  since?: Date;
  /** 1..200, default 50. */
  limit?: number;
}

/** What {@link DeliveryStore.outboxStats} reports. */
export interface OutboxStats {
  due: number;
  oldestDueAt: Date | null;
}

export const DELIVERY_LIST_DEFAULT_LIMIT = 50;
export const DELIVERY_LIST_MAX_LIMIT = 200;

/**
 * The outbox. A delivery is written before any provider call; instances claim due deliveries
 * under a lease, so a crash between "written" and "sent" loses nothing. A refused count, duration
 * or page size is a `ValidationError` whose issue `path` names the argument (`limit`, `leaseMs`,
 * `lease.ms`).
 */
export interface DeliveryStore {
  /**
   * Creates a `queued` delivery whose `events` start with that `queued` step. With an `idempotencyKey` already used, creates nothing and
   * returns the first delivery (`created: false`); concurrent creates with one key make one.
   * With `threadEntry`, `entry` is the thread entry written with it (see {@link NewDelivery}).
   */
  create(input: NewDelivery): Promise<DeliveryCreated>;
  /**
   * Optional: creates several deliveries as one batch (group commit: the core writes the sends
   * issued in one tick together). Each input is handled exactly as `create` would handle it alone,
   * in input order: its idempotency key, its `threadEntry` (entries for one thread take
   * consecutive seqs in input order, after any appended before), its `lease`. The answer has one
   * outcome per input, in input order. An input `create` would reject (a bad lease, an unknown
   * thread for its entry) is an `ok: false` outcome and writes nothing; the others are written.
   * An input repeating the idempotency key of an earlier input of the batch gets that input's
   * outcome as a repeat (`created: false`, no entry) or its error. When the batch fails as a whole
   * (the database is unreachable, a conflict it cannot resolve), the call rejects and none of it is
   * written: never part of a batch. A server-backed store should need one round trip per batch.
   * Without it the core creates each delivery with `create`.
   *
   * @example
   * ```ts
   * const [first, second] = await store.deliveries.createMany([orderShipped, orderDelivered]);
   * if (first?.ok) first.value.delivery.id;
   * ```
   */
  createMany?(inputs: readonly NewDelivery[]): Promise<BatchOutcome<DeliveryCreated>[]>;
  get(id: string): Promise<Delivery | null>;
  getByIdempotencyKey(key: string): Promise<Delivery | null>;
  /**
   * The delivery an adapter's provider knows by `providerMessageId`: its `providerMessageId` or
   * any of its `providerMessageIds`, so a receipt for the third part of a split message finds the
   * delivery too. Ids are matched per adapter; a `complete` that recorded new ids (a retried
   * delivery sent again) replaces the old ones, which then find nothing (an id another delivery
   * also recorded keeps finding that one). `null` when none match.
   *
   * @example
   * ```ts
   * await store.deliveries.complete(id, { owner, providerMessageId: 'wamid.1',
   *   providerMessageIds: ['wamid.1', 'wamid.2'], status: 'accepted', at: new Date() });
   * await store.deliveries.findByProviderMessageId({ adapterId: 'wa', providerMessageId: 'wamid.2' }); // the delivery
   * ```
   */
  findByProviderMessageId(input: {
    adapterId: string;
    providerMessageId: string;
  }): Promise<Delivery | null>;
  list(query?: DeliveryQuery): Promise<Delivery[]>;
  /**
   * Leases up to `limit` `queued` deliveries whose `nextAttemptAt` has come and whose lease is
   * absent or expired, oldest due first, and counts an attempt on each. Two concurrent callers
   * never receive the same delivery.
   */
  claimDue(input: { owner: string; limit: number; leaseMs: number }): Promise<Delivery[]>;
  /**
   * Optional: extends `owner`'s lease on a `queued` delivery to `leaseMs` from now, so an attempt
   * that waits (for its rate slot) keeps it. `false` when `owner` no longer holds the lease
   * (another instance claimed it) or the delivery left `queued`: the caller must not send it. An
   * expired lease nobody re-claimed may still be renewed, as it may still be completed.
   */
  renewLease?(input: { id: string; owner: string; leaseMs: number }): Promise<boolean>;
  /**
   * Optional: how much work is waiting, for the outbox depth and lag metrics. `due` counts queued
   * deliveries whose `nextAttemptAt` has come (leased or not: none is sent yet); `oldestDueAt` is
   * the earliest such `nextAttemptAt`, `null` when nothing is due.
   */
  outboxStats?(): Promise<OutboxStats>;
  /**
   * The provider took it: records the provider id (and every id of a split message, see
   * `completedProviderIds`), moves the status forward and ends the lease. Returns `null` when
   * `owner` no longer holds the lease (another instance took over) or the id is unknown. The same
   * `complete` repeated (same provider id, the delivery past `queued` with no lease) returns the
   * delivery unchanged; once it is queued or leased again (retried), it is a lost lease. A
   * `providerMessageIds` entry that is not a non-empty string is a `ValidationError`.
   */
  complete(id: string, input: DeliveryCompletion): Promise<Delivery | null>;
  /**
   * Optional: completes several deliveries as one batch (group commit, like `createMany`): each
   * item exactly as `complete(item.id, item.completion)` would, one after another in item order;
   * one outcome per item, in item order (`value: null` when the lease was lost). An item
   * `complete` would reject is an `ok: false` outcome and changes nothing; when the batch fails
   * as a whole the call rejects and changes nothing. Without it the core completes one by one.
   */
  completeMany?(
    items: readonly { id: string; completion: DeliveryCompletion }[],
  ): Promise<BatchOutcome<Delivery | null>[]>;
  /**
   * Stays `queued` and ends the lease: tries again at `at` (a retryable failure, recorded in
   * `error`; without one the previous error is kept), or is parked with `at: null` (held behind a
   * closed window until `schedule`). `null` if `owner` does not hold the lease, the id is unknown
   * or the delivery left `queued` (a receipt moved it on). An owner whose lease expired may still
   * finish (here, in `complete` and `fail`) as long as nobody re-claimed it.
   */
  reschedule(
    id: string,
    input: { owner: string; at: Date | null; error?: DeliveryFailure },
  ): Promise<Delivery | null>;
  /**
   * A permanent failure: moves to `failed` (or `expired`) and ends the lease. With `owner`, only
   * the lease holder may; without, any non-terminal delivery (a policy decision). `null` if refused
   * or the id is unknown.
   */
  fail(
    id: string,
    input: { owner?: string; error: DeliveryFailure; at: Date; status?: 'failed' | 'expired' },
  ): Promise<Delivery | null>;
  /**
   * Sets when a `queued` delivery is next due (releasing a held message, rescheduling a send).
   * Returns `null` if the delivery is not `queued`.
   */
  schedule(id: string, at: Date): Promise<Delivery | null>;
  /**
   * A status report (a provider receipt). `NotFoundError` (`kind` `'delivery'`, naming the id) for
   * an unknown id. Applied only if it
   * moves the delivery forward (see `canAdvanceStatus`); otherwise the status, error and history
   * stay as they are and `changed` is `false`. `pricing` is stored either way: it is a billing
   * fact, not a step, and Meta sends it on a late `delivered` after `read` was recorded.
   */
  updateStatus(
    id: string,
    input: {
      status: DeliveryStatus;
      at: Date;
      source: DeliveryEventSource;
      detail?: string;
      error?: DeliveryFailure;
      pricing?: JsonObject;
    },
  ): Promise<{ delivery: Delivery; changed: boolean }>;
  /** An explicit retry: a `failed` or `expired` delivery goes back to `queued`, due at `at`. */
  retry(id: string, at: Date): Promise<Delivery | null>;
}
