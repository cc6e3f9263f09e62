import type { Delivery } from '@threadline/core';
import { isExpired, type MemoryState } from './state';

/**
 * Keeps `state.claimable` in step with one delivery: in it exactly when `queued` with a
 * `nextAttemptAt`. Called after every write that can change either field.
 */
export function syncClaimable(state: MemoryState, delivery: Delivery): void {
  if (delivery.status === 'queued' && delivery.nextAttemptAt !== null) {
    state.claimable.add(delivery);
  } else {
    state.claimable.delete(delivery);
  }
}

/** Drops a delivery from the user, thread and claimable indexes. */
function unindex(state: MemoryState, delivery: Delivery): void {
  state.claimable.delete(delivery);
  if (delivery.userId !== undefined) state.deliveriesByUser.delete(delivery.userId, delivery.id);
  if (delivery.threadId !== undefined) {
    state.deliveriesByThread.delete(delivery.threadId, delivery.id);
  }
}

/** Stores a new delivery and indexes it by user, thread and claimability. */
export function insertDelivery(state: MemoryState, delivery: Delivery): void {
  const replaced = state.deliveries.get(delivery.id);
  // Only an id the generator repeated gets here: the map keeps the replaced one's place, so the
  // order does too.
  if (replaced === undefined) state.order.deliveries.add(delivery.id);
  else unindex(state, replaced);
  state.deliveries.set(delivery.id, delivery);
  if (delivery.userId !== undefined) state.deliveriesByUser.add(delivery.userId, delivery.id);
  if (delivery.threadId !== undefined) state.deliveriesByThread.add(delivery.threadId, delivery.id);
  syncClaimable(state, delivery);
}

/** Every provider id of a delivery: all parts of a split message, or its one id, or none yet. */
export function providerIdsOf(delivery: Delivery): readonly string[] {
  if (delivery.providerMessageIds !== undefined) return delivery.providerMessageIds;
  return delivery.providerMessageId === undefined ? [] : [delivery.providerMessageId];
}

/** Indexes every provider id of `delivery` (see {@link providerIdsOf}) under its adapter. */
export function indexProviderIds(state: MemoryState, delivery: Delivery): void {
  const ids = providerIdsOf(delivery);
  if (ids.length === 0) return;
  let byAdapter = state.deliveryByProviderId.get(delivery.adapterId);
  if (byAdapter === undefined) {
    byAdapter = new Map();
    state.deliveryByProviderId.set(delivery.adapterId, byAdapter);
  }
  for (const id of ids) byAdapter.set(id, delivery.id);
}

/**
 * Drops `delivery`'s provider ids from the index (before `complete` records new ones, and on
 * erasure). An entry another delivery has since taken is left alone: it points at that one.
 */
export function unindexProviderIds(state: MemoryState, delivery: Delivery): void {
  const byAdapter = state.deliveryByProviderId.get(delivery.adapterId);
  if (byAdapter === undefined) return;
  for (const id of providerIdsOf(delivery)) {
    if (byAdapter.get(id) === delivery.id) byAdapter.delete(id);
  }
  if (byAdapter.size === 0) state.deliveryByProviderId.delete(delivery.adapterId);
}

/** The id of the delivery an adapter's provider knows as `providerMessageId`, if any. */
export function deliveryIdByProvider(
  state: MemoryState,
  adapterId: string,
  providerMessageId: string,
): string | undefined {
  return state.deliveryByProviderId.get(adapterId)?.get(providerMessageId);
}

/** Removes a delivery with every index entry that points at it (erasure). */
export function removeDelivery(state: MemoryState, delivery: Delivery): void {
  state.deliveries.delete(delivery.id);
  state.order.deliveries.delete(delivery.id);
  unindex(state, delivery);
  state.payloads.forget(delivery.payload);
  if (delivery.idempotencyKey !== undefined) {
    state.deliveryByIdempotencyKey.delete(delivery.idempotencyKey);
  }
  unindexProviderIds(state, delivery);
}

/** Moves every delivery addressed to user `from` to user `into` (a merge). */
export function moveUserDeliveries(state: MemoryState, from: string, into: string): void {
  for (const id of state.deliveriesByUser.keys(from)) {
    (state.deliveries.get(id) as Delivery).userId = into;
  }
  state.deliveriesByUser.moveAll(from, into);
}

/** Moves every delivery recorded in thread `from` to thread `into` (merged threads). */
export function moveThreadDeliveries(state: MemoryState, from: string, into: string): void {
  for (const id of state.deliveriesByThread.keys(from)) {
    (state.deliveries.get(id) as Delivery).threadId = into;
  }
  state.deliveriesByThread.moveAll(from, into);
}

/**
 * Ids of the deliveries of a user: addressed to them, or recorded in one of `threadIds`, in
 * creation order (the order a scan of every delivery gave).
 */
export function deliveryIdsOf(
  state: MemoryState,
  userId: string,
  threadIds: Iterable<string>,
): string[] {
  const ids = new Set(state.deliveriesByUser.keys(userId));
  for (const threadId of threadIds) {
    for (const id of state.deliveriesByThread.keys(threadId)) ids.add(id);
  }
  return state.order.deliveries.sort([...ids]);
}

/**
 * The `limit` deliveries `claimDue` takes now: due (`nextAttemptAt` has come) and not leased (or
 * the lease expired), oldest due first, and among equal due times the older delivery first (the
 * order a stable sort of every delivery gave). Only claimable deliveries are looked at.
 */
export function selectDue(state: MemoryState, limit: number): Delivery[] {
  const nowMs = state.clock.now();
  const due: Delivery[] = [];
  for (const delivery of state.claimable) {
    const at = delivery.nextAttemptAt;
    if (delivery.status !== 'queued' || at === null || at.getTime() > nowMs) continue;
    if (delivery.lease !== null && !isExpired(state, delivery.lease.expiresAt)) continue;
    due.push(delivery);
  }
  const { compare } = state.order.deliveries;
  due.sort(
    (a, b) =>
      (a.nextAttemptAt as Date).getTime() - (b.nextAttemptAt as Date).getTime() ||
      compare(a.id, b.id),
  );
  return due.length > limit ? due.slice(0, limit) : due;
}
