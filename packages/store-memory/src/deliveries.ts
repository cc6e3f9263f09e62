import {
  canAdvanceStatus,
  checkCount,
  checkDuration,
  DELIVERY_LIST_PAGE,
  type Delivery,
  type DeliveryEvent,
  type DeliveryQuery,
  type DeliveryStore,
  isTerminalStatus,
  NotFoundError,
  pageSize,
} from '@threadline/core';
import { copy, isExpired, type MemoryState, now, pairKey } from './state';

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
    delivery.events.push(event);
  }

  function result(delivery: Delivery): Delivery {
    delivery.updatedAt = now(state);
    return copy(delivery);
  }

  return {
    async create(input) {
      const key = input.idempotencyKey;
      const existingId = key === undefined ? undefined : state.deliveryByIdempotencyKey.get(key);
      const existing = existingId === undefined ? undefined : find(existingId);
      // A repeated create never takes the lease: the first creator may be sending it right now.
      if (existing !== undefined) return { delivery: copy(existing), created: false };
      if (input.lease !== undefined) checkDuration(input.lease.ms, 'lease.ms');
      const at = now(state);
      const { lease, ...fields } = copy(input);
      const delivery: Delivery = {
        ...fields,
        id: state.generateId(),
        status: 'queued',
        // Created already claimed: the creator's own first attempt counts like a claimDue one.
        attempts: lease === undefined ? 0 : 1,
        lease:
          lease === undefined
            ? null
            : { owner: lease.owner, expiresAt: new Date(at.getTime() + lease.ms) },
        events: [{ status: 'queued', at, source: 'dispatcher' }],
        createdAt: at,
        updatedAt: at,
      };
      state.deliveries.set(delivery.id, delivery);
      if (key !== undefined) state.deliveryByIdempotencyKey.set(key, delivery.id);
      return { delivery: copy(delivery), created: true };
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
      const id = state.deliveryByProviderId.get(pairKey(adapterId, providerMessageId));
      const delivery = id === undefined ? undefined : find(id);
      return delivery === undefined ? null : copy(delivery);
    },

    async list(query = {}) {
      const limit = pageSize(query.limit, { ...DELIVERY_LIST_PAGE, path: 'limit' });
      // Newest first; among equal creation times, the later created first (map order reversed).
      const found = [...state.deliveries.values()]
        .filter((delivery) => matches(delivery, query))
        .reverse()
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
      return copy(found.slice(0, limit));
    },

    async claimDue({ owner, limit, leaseMs }) {
      checkCount(limit, 'limit', 'delivery query');
      checkDuration(leaseMs, 'leaseMs');
      const nowMs = state.clock.now();
      const due = [...state.deliveries.values()]
        .filter(
          (delivery) =>
            delivery.status === 'queued' &&
            delivery.nextAttemptAt !== null &&
            delivery.nextAttemptAt.getTime() <= nowMs &&
            (delivery.lease === null || isExpired(state, delivery.lease.expiresAt)),
        )
        .sort((a, b) => (a.nextAttemptAt?.getTime() ?? 0) - (b.nextAttemptAt?.getTime() ?? 0))
        .slice(0, limit);
      for (const delivery of due) {
        delivery.lease = { owner, expiresAt: new Date(nowMs + leaseMs) };
        delivery.attempts += 1;
      }
      return due.map(result);
    },

    async complete(id, { owner, providerMessageId, status, at }) {
      const delivery = find(id);
      if (delivery === undefined || !leasedBy(delivery, owner)) return null;
      delivery.providerMessageId = providerMessageId;
      state.deliveryByProviderId.set(pairKey(delivery.adapterId, providerMessageId), delivery.id);
      // A receipt may have beaten the send's own answer here; then the status stays where it is.
      if (canAdvanceStatus(delivery.status, status)) {
        record(delivery, { status, at, source: 'dispatcher' });
      }
      delivery.lease = null;
      delivery.nextAttemptAt = null;
      delete delivery.error;
      return result(delivery);
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
      return result(delivery);
    },

    async fail(id, { owner, error, at, status = 'failed' }) {
      const delivery = find(id);
      if (delivery === undefined) return null;
      if (owner !== undefined && !leasedBy(delivery, owner)) return null;
      if (!canAdvanceStatus(delivery.status, status)) return null;
      record(delivery, {
        status,
        at,
        source: owner === undefined ? 'policy' : 'dispatcher',
        detail: error.message,
      });
      delivery.error = copy(error);
      delivery.lease = null;
      delivery.nextAttemptAt = null;
      return result(delivery);
    },

    async schedule(id, at) {
      const delivery = find(id);
      if (delivery === undefined || delivery.status !== 'queued') return null;
      delivery.nextAttemptAt = new Date(at.getTime());
      return result(delivery);
    },

    async updateStatus(id, input) {
      const delivery = find(id);
      if (delivery === undefined) throw new NotFoundError('delivery', id);
      if (!canAdvanceStatus(delivery.status, input.status)) {
        return { delivery: copy(delivery), changed: false };
      }
      const event: DeliveryEvent = { status: input.status, at: input.at, source: input.source };
      if (input.detail !== undefined) event.detail = input.detail;
      record(delivery, copy(event));
      if (input.error !== undefined) delivery.error = copy(input.error);
      if (input.pricing !== undefined) delivery.pricing = copy(input.pricing);
      if (isTerminalStatus(input.status)) {
        delivery.lease = null;
        delivery.nextAttemptAt = null;
      }
      return { delivery: result(delivery), changed: true };
    },

    async retry(id, at) {
      const delivery = find(id);
      if (delivery === undefined || !isTerminalStatus(delivery.status)) return null;
      record(delivery, { status: 'queued', at: now(state), source: 'host' });
      delivery.nextAttemptAt = new Date(at.getTime());
      delivery.lease = null;
      return result(delivery);
    },
  };
}
