import type {
  ConsentRecord,
  Delivery,
  ErasureReport,
  PrivacyStore,
  Thread,
  UserExport,
} from '@threadline/core';
import { addressKey, copy, type MemoryState, pairKey } from './state';

/** The user's deliveries: addressed to them, or recorded in one of their threads. */
function deliveriesOf(state: MemoryState, userId: string, threadIds: Set<string>): Delivery[] {
  return [...state.deliveries.values()].filter(
    (delivery) =>
      delivery.userId === userId ||
      (delivery.threadId !== undefined && threadIds.has(delivery.threadId)),
  );
}

function threadsOf(state: MemoryState, userId: string): Thread[] {
  return [...state.threads.values()].filter((thread) => thread.userId === userId);
}

/**
 * Export and right-to-erasure for one user. Erasure removes every identity, thread, entry,
 * delivery and held message, and the indexes that point at them; consent records stay, because a
 * suppression list has to outlive the data it suppresses.
 *
 * @example
 * ```ts
 * const data = await store.privacy.exportUser(userId); // JSON.stringify(data) for the requester
 * const report = await store.privacy.eraseUser(userId); // { identities: 2, entries: 140, … }
 * ```
 */
export function createPrivacyStore(state: MemoryState): PrivacyStore {
  return {
    async exportUser(userId) {
      const user = state.users.get(userId);
      if (user === undefined) return null;
      const identities = [...state.identities.values()].filter((item) => item.userId === userId);
      const threads = threadsOf(state, userId);
      const threadIds = new Set(threads.map((thread) => thread.id));
      const consent: ConsentRecord[] = [];
      for (const identity of identities) {
        const record = state.consent.get(addressKey(identity.channel, identity.address));
        if (record !== undefined) consent.push(record);
      }
      const data: UserExport = {
        user,
        identities,
        threads: threads.map((thread) => ({
          thread,
          entries: state.entries.get(thread.id) ?? [],
        })),
        deliveries: deliveriesOf(state, userId, threadIds),
        held: [...state.held.values()].filter((message) => message.userId === userId),
        consent,
      };
      return copy(data);
    },

    async eraseUser(userId) {
      const user = state.users.get(userId);
      if (user === undefined) return null;
      const report: ErasureReport = {
        userId,
        identities: 0,
        threads: 0,
        entries: 0,
        deliveries: 0,
        held: 0,
      };
      for (const [key, identity] of state.identities) {
        if (identity.userId !== userId) continue;
        state.identities.delete(key);
        report.identities += 1;
      }
      const threads = threadsOf(state, userId);
      const threadIds = new Set(threads.map((thread) => thread.id));
      for (const thread of threads) {
        state.threadByPair.delete(pairKey(userId, thread.agentId));
        report.entries += state.entries.get(thread.id)?.length ?? 0;
        state.entries.delete(thread.id);
        state.threads.delete(thread.id);
        report.threads += 1;
      }
      const erased = new Set<string>();
      for (const delivery of deliveriesOf(state, userId, threadIds)) {
        state.deliveries.delete(delivery.id);
        if (delivery.idempotencyKey !== undefined) {
          state.deliveryByIdempotencyKey.delete(delivery.idempotencyKey);
        }
        if (delivery.providerMessageId !== undefined) {
          state.deliveryByProviderId.delete(
            pairKey(delivery.adapterId, delivery.providerMessageId),
          );
        }
        erased.add(delivery.id);
        report.deliveries += 1;
      }
      for (const [id, message] of state.held) {
        if (message.userId !== userId && !erased.has(message.deliveryId)) continue;
        state.held.delete(id);
        report.held += 1;
      }
      for (const [key, owner] of state.contacts) if (owner === userId) state.contacts.delete(key);
      state.users.delete(userId);
      return report;
    },
  };
}
