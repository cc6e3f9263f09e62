import type {
  ConsentRecord,
  Delivery,
  ErasureReport,
  Identity,
  PrivacyStore,
  User,
  UserExport,
} from '@threadline/core';
import { copy } from './copy';
import { deliveryIdsOf, removeDelivery } from './delivery-index';
import { heldOf, removeHeld } from './held';
import { identitiesOf, removeIdentity } from './identities';
import { addressKey, contactKeysOf, type MemoryState } from './state';
import { removeThread, threadsOf } from './threads';
import { removeTurn, turnsOf } from './turn-records';

/** The user's deliveries: addressed to them, or recorded in one of their threads. */
function deliveriesOf(state: MemoryState, userId: string, threadIds: Iterable<string>): Delivery[] {
  return deliveryIdsOf(state, userId, threadIds).map((id) => state.deliveries.get(id) as Delivery);
}

/** Deletes the user's contact points from the contact index (see `contactKeysOf`). */
function deleteContacts(state: MemoryState, user: User): void {
  for (const key of contactKeysOf(user)) {
    if (state.contacts.get(key) === user.id) state.contacts.delete(key);
  }
}

/**
 * Export and right-to-erasure for one user. Erasure removes every identity, thread, entry,
 * delivery, held message and pending turn, and the indexes that point at them; consent records stay, because a
 * suppression list has to outlive the data it suppresses. Both find the user's records through
 * the per-user indexes, so their cost is the user's data, not everyone's.
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
      const identities = identitiesOf(state, userId);
      const threads = threadsOf(state, userId);
      const threadIds = threads.map((thread) => thread.id);
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
        held: heldOf(state, userId),
        consent,
        pendingTurns: turnsOf(state, userId, threadIds),
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
        turns: 0,
      };
      for (const key of [...state.identitiesByUser.keys(userId)]) {
        removeIdentity(state, key, state.identities.get(key) as Identity);
        report.identities += 1;
      }
      const threads = threadsOf(state, userId);
      const threadIds = threads.map((thread) => thread.id);
      // Read before the threads go: the deliveries and turns recorded in them are the user's too.
      const deliveries = deliveriesOf(state, userId, threadIds);
      // A turn left behind would wake the agent for the erased user, at the erased address.
      const turns = turnsOf(state, userId, threadIds);
      for (const turn of turns) removeTurn(state, turn);
      report.turns = turns.length;
      for (const thread of threads) {
        report.entries += state.entries.get(thread.id)?.length ?? 0;
        removeThread(state, thread);
        report.threads += 1;
      }
      // Held messages of the user, and any that wait for one of the deliveries erased here.
      const held = new Set(heldOf(state, userId));
      for (const delivery of deliveries) {
        for (const id of state.heldByDelivery.keys(delivery.id)) {
          const message = state.held.get(id);
          if (message !== undefined) held.add(message);
        }
        removeDelivery(state, delivery);
        report.deliveries += 1;
      }
      for (const message of held) removeHeld(state, message);
      report.held = held.size;
      deleteContacts(state, user);
      state.users.delete(userId);
      return report;
    },
  };
}
