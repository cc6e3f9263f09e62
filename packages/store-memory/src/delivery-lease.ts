import { checkDuration, type DeliveryStore } from '@threadline/core';
import type { MemoryState } from './state';

/**
 * `deliveries.renewLease`: one synchronous read-check-write, so a renewal and a claim by another
 * instance can never both win. The owner's name is the test, not the expiry: an expired lease
 * nobody re-claimed still belongs to its owner (as `complete` allows).
 */
export function createDeliveryLease(state: MemoryState): Pick<DeliveryStore, 'renewLease'> {
  return {
    async renewLease({ id, owner, leaseMs }) {
      checkDuration(leaseMs, 'leaseMs', 'lease');
      const delivery = state.deliveries.get(id);
      if (delivery?.status !== 'queued' || delivery.lease?.owner !== owner) return false;
      delivery.lease = { owner, expiresAt: new Date(state.clock.now() + leaseMs) };
      return true;
    },
  };
}
