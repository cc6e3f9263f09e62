import {
  canAdvanceStatus,
  checkCount,
  checkDuration,
  completedProviderIds,
  DELIVERY_LIST_PAGE,
  type Delivery,
  type DeliveryCompletion,
  type DeliveryCreated,
  type DeliveryEvent,
  type DeliveryQuery,
  type DeliveryStore,
  isTerminalStatus,
  type NewDelivery,
  NotFoundError,
  pageSize,
} from '@threadline/core';
import { copy } from './copy';
import { withBatches } from './delivery-batch';
import { appendDeliveryEntry, entryThread } from './delivery-entry';
import {
  deliveryIdByProvider,
  indexProviderIds,
  insertDelivery,
  selectDue,
  syncClaimable,
  unindexProviderIds,
} from './delivery-index';
import { createDeliveryLease } from './delivery-lease';
import { type MemoryState, now } from './state';

/** `deliveries.list`'s page bounds, made once rather than spread anew on every call. */
const LIST_PAGE = { ...DELIVERY_LIST_PAGE, path: 'limit' };

/** Whether `query` selects `delivery`. */
function matches(delivery: Delivery, query: DeliveryQuery): boolean {
  return (
    (query.userId === undefined || delivery.userId === query.userId) &&
    (query.status === undefined || delivery.status === query.status) &&
    (query.channel === undefined || delivery.channel === query.channel) &&
    (query.since === undefined || delivery.createdAt >= query.since)
  );
}

/**
 * Whether a `complete` naming `providerMessageId` already finished `delivery`: no lease left, no
 * longer queued, and that provider id recorded (as the PostgreSQL store decides it).
 */
function isRepeatedComplete(delivery: Delivery, providerMessageId: string): boolean {
  return (
    delivery.lease === null &&
    delivery.status !== 'queued' &&
    delivery.providerMessageId === providerMessageId
  );
}

/**
 * The outbox. Every transition is one synchronous read-check-write, so two instances (two callers
 * on one store) can never claim one delivery, and a receipt that arrives late never moves a
 * status backwards: `canAdvanceStatus` from core decides every move.
 *
 * @example
 * ```ts
 * const { delivery } = await store.deliveries.create({ channel: 'sms', adapterId: 'twilio', recipient: '+447700900123',
 *   payload: { text: 'hi' }, origin: 'send', idempotencyKey: 'order-42', nextAttemptAt: new Date() });
 * const [claimed] = await store.deliveries.claimDue({ owner: 'instance-a', limit: 10, leaseMs: 30_000 });
 * ```
 */
export function createDeliveryStore(state: MemoryState): DeliveryStore {
  function find(id: string): Delivery | undefined {
    return state.deliveries.get(id);
  }

  /** Whether `owner` holds the lease. An expired lease nobody re-took still counts: the work it
   * covered finished, and recording the result beats losing it. */
  function leasedBy(delivery: Delivery, owner: string): boolean {
    return delivery.lease?.owner === owner;
  }

  function record(delivery: Delivery, event: DeliveryEvent): void {
    delivery.status = event.status;
    // `concat` makes an array of the exact length; `push` (and a spread) would leave room for
    // about 17 events, and a store of 100,000 deliveries keeps every one of those arrays.
    delivery.events = delivery.events.concat([event]);
  }

  function result(delivery: Delivery): Delivery {
    const at = now(state);
    const last = delivery.events[delivery.events.length - 1];
    // The store never changes a stored Date in place (and copies every one on the way out), so
    // when the last event happened this millisecond its Date can serve as updatedAt too.
    delivery.updatedAt =
      last?.at instanceof Date && last.at.getTime() === at.getTime() ? last.at : at;
    return copy(delivery);
  }

  /** `create`, as one synchronous step (its checks throw before anything is written). */
  function createNow(input: NewDelivery): DeliveryCreated {
    const key = input.idempotencyKey;
    const existingId = key === undefined ? undefined : state.deliveryByIdempotencyKey.get(key);
    const existing = existingId === undefined ? undefined : find(existingId);
    // A repeated create never takes the lease: the first creator may be sending it right now.
    if (existing !== undefined) return { delivery: copy(existing), created: false };
    if (input.lease !== undefined) checkDuration(input.lease.ms, 'lease.ms');
    const thread = entryThread(state, input);
    const at = now(state);
    const { lease, threadEntry, ...fields } = input;
    // The pool stores the payload (shared when equal to a recent one): copying it here as well
    // would be wasted. Its key keeps its place, so results list their keys as they always did.
    (fields as { payload: unknown }).payload = null;
    const delivery = copy(fields) as Delivery;
    delivery.payload = state.payloads.store(input.payload);
    // Set one by one, which orders keys exactly as `{ ...fields, id, … }` would. The spread is
    // what Node 20 cannot do cheaply: each object it makes gets a hidden class of its own
    // (about 800 bytes per delivery, and slower property access everywhere).
    delivery.id = state.generateId();
    delivery.status = 'queued';
    // Created already claimed: the creator's own first attempt counts like a claimDue one.
    delivery.attempts = lease === undefined ? 0 : 1;
    delivery.lease =
      lease === undefined
        ? null
        : { owner: lease.owner, expiresAt: new Date(at.getTime() + lease.ms) };
    delivery.events = [{ status: 'queued', at, source: 'dispatcher' }];
    delivery.createdAt = at;
    delivery.updatedAt = at;
    insertDelivery(state, delivery);
    if (key !== undefined) state.deliveryByIdempotencyKey.set(key, delivery.id);
    // The delivery and its entry are one step.
    if (thread === undefined) return { delivery: copy(delivery), created: true };
    const entry = appendDeliveryEntry(thread, input, delivery);
    return { delivery: copy(delivery), created: true, entry };
  }

  /** `complete`, as one synchronous step. */
  function completeNow(id: string, input: DeliveryCompletion): Delivery | null {
    const { owner, providerMessageId, status, at } = input;
    const ids = completedProviderIds(input);
    const delivery = find(id);
    if (delivery === undefined) return null;
    // The same complete again (its first answer lost on the way back): it already happened, so
    // report the delivery, or a retrying dispatcher would take its own success for a lost lease.
    if (isRepeatedComplete(delivery, providerMessageId)) return copy(delivery);
    if (!leasedBy(delivery, owner)) return null;
    // A delivery sent again (retried) is known by its new ids only, as in a database row.
    unindexProviderIds(state, delivery);
    delivery.providerMessageId = providerMessageId;
    // Set only for a split message and deleted only where an earlier send set it: most
    // deliveries never carry the field, and a `delete` turns an object into a slow dictionary.
    if (ids !== undefined) delivery.providerMessageIds = ids;
    else if (delivery.providerMessageIds !== undefined) delete delivery.providerMessageIds;
    indexProviderIds(state, delivery);
    // A receipt may have beaten the send's own answer here; then the status stays where it is.
    if (canAdvanceStatus(delivery.status, status)) {
      record(delivery, { status, at: copy(at), source: 'dispatcher' });
    }
    delivery.lease = null;
    delivery.nextAttemptAt = null;
    delete delivery.error;
    syncClaimable(state, delivery);
    return result(delivery);
  }

  const store: DeliveryStore = {
    async create(input) {
      return createNow(input);
    },

    async get(id) {
      const delivery = find(id);
      return delivery === undefined ? null : copy(delivery);
    },

    async getByIdempotencyKey(key) {
      const id = state.deliveryByIdempotencyKey.get(key);
      const delivery = id === undefined ? undefined : find(id);
      return delivery === undefined ? null : copy(delivery);
    },

    async findByProviderMessageId({ adapterId, providerMessageId }) {
      const id = deliveryIdByProvider(state, adapterId, providerMessageId);
      const delivery = id === undefined ? undefined : find(id);
      return delivery === undefined ? null : copy(delivery);
    },

    async list(query = {}) {
      const limit = pageSize(query.limit, LIST_PAGE);
      // One user's deliveries come from the index (sorted back into creation order), not a scan
      // of everyone's.
      const candidates =
        query.userId === undefined
          ? [...state.deliveries.values()]
          : state.order.deliveries
              .sort([...state.deliveriesByUser.keys(query.userId)])
              .map((id) => find(id) as Delivery);
      // Newest first; among equal creation times, the later created first (creation order reversed).
      const found = candidates
        .filter((delivery) => matches(delivery, query))
        .reverse()
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
      return copy(found.slice(0, limit));
    },

    ...createDeliveryLease(state),

    async claimDue({ owner, limit, leaseMs }) {
      checkCount(limit, 'limit', 'delivery query');
      checkDuration(leaseMs, 'leaseMs');
      const nowMs = state.clock.now();
      // Claiming changes neither status nor nextAttemptAt: the claimed stay claimable (once their
      // lease expires), so the index needs no update here.
      const due = selectDue(state, limit);
      for (const delivery of due) {
        delivery.lease = { owner, expiresAt: new Date(nowMs + leaseMs) };
        delivery.attempts += 1;
      }
      return due.map(result);
    },

    async outboxStats() {
      const nowMs = state.clock.now();
      let due = 0;
      let oldest: number | null = null;
      for (const delivery of state.claimable) {
        const at = delivery.nextAttemptAt?.getTime();
        if (delivery.status !== 'queued' || at === undefined || at > nowMs) continue;
        due += 1;
        if (oldest === null || at < oldest) oldest = at;
      }
      return { due, oldestDueAt: oldest === null ? null : new Date(oldest) };
    },

    async complete(id, input) {
      return completeNow(id, input);
    },

    async reschedule(id, { owner, at, error }) {
      const delivery = find(id);
      if (delivery === undefined || delivery.status !== 'queued' || !leasedBy(delivery, owner)) {
        return null;
      }
      // `at: null` parks it (held behind a closed window) until `schedule` sets a time.
      delivery.nextAttemptAt = at === null ? null : new Date(at.getTime());
      if (error !== undefined) delivery.error = copy(error);
      delivery.lease = null;
      syncClaimable(state, delivery);
      return result(delivery);
    },

    async fail(id, { owner, error, at, status = 'failed' }) {
      const delivery = find(id);
      if (delivery === undefined) return null;
      if (owner !== undefined && !leasedBy(delivery, owner)) return null;
      if (!canAdvanceStatus(delivery.status, status)) return null;
      record(delivery, {
        status,
        at: copy(at),
        source: owner === undefined ? 'policy' : 'dispatcher',
        detail: error.message,
      });
      delivery.error = copy(error);
      delivery.lease = null;
      delivery.nextAttemptAt = null;
      syncClaimable(state, delivery);
      return result(delivery);
    },

    async schedule(id, at) {
      const delivery = find(id);
      if (delivery === undefined || delivery.status !== 'queued') return null;
      delivery.nextAttemptAt = new Date(at.getTime());
      syncClaimable(state, delivery);
      return result(delivery);
    },

    async updateStatus(id, input) {
      const delivery = find(id);
      if (delivery === undefined) throw new NotFoundError('delivery', id);
      if (!canAdvanceStatus(delivery.status, input.status)) {
        if (input.pricing === undefined) return { delivery: copy(delivery), changed: false };
        // Billing facts are kept whatever the status: Meta sends pricing on a `delivered` that
        // can arrive after `read`. The status and history stay as they are.
        delivery.pricing = copy(input.pricing);
        return { delivery: result(delivery), changed: false };
      }
      // Built from copied fields (the Date; strings are immutable), so not copied again whole.
      const event: DeliveryEvent = {
        status: input.status,
        at: copy(input.at),
        source: input.source,
      };
      if (input.detail !== undefined) event.detail = input.detail;
      record(delivery, event);
      if (input.error !== undefined) delivery.error = copy(input.error);
      if (input.pricing !== undefined) delivery.pricing = copy(input.pricing);
      if (isTerminalStatus(input.status)) {
        delivery.lease = null;
        delivery.nextAttemptAt = null;
      }
      syncClaimable(state, delivery);
      return { delivery: result(delivery), changed: true };
    },

    async retry(id, at) {
      const delivery = find(id);
      if (delivery === undefined || !isTerminalStatus(delivery.status)) return null;
      record(delivery, { status: 'queued', at: now(state), source: 'host' });
      delivery.nextAttemptAt = new Date(at.getTime());
      delivery.lease = null;
      syncClaimable(state, delivery);
      return result(delivery);
    },
  };
  return withBatches(store, {
    create: createNow,
    complete: (item) => completeNow(item.id, item.completion),
  });
}
