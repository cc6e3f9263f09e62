import type { HeldMessage, HeldMessageStore } from '@threadline/core';
import { copy } from './copy';
import type { MemoryState } from './state';

/** Oldest first; held messages with one `heldAt` keep the order they were held in. */
function oldestFirst(messages: HeldMessage[]): HeldMessage[] {
  return messages.sort((a, b) => a.heldAt.getTime() - b.heldAt.getTime());
}

/** A user's held messages in the order they were held (the order a scan of every one gave). */
export function heldOf(state: MemoryState, userId: string): HeldMessage[] {
  const ids = state.order.held.sort([...state.heldByUser.keys(userId)]);
  return ids.map((id) => state.held.get(id) as HeldMessage);
}

function removeFromIndexes(state: MemoryState, message: HeldMessage): void {
  state.heldByUser.delete(message.userId, message.id);
  state.heldByDelivery.delete(message.deliveryId, message.id);
}

/** Removes a held message and its index entries. */
export function removeHeld(state: MemoryState, message: HeldMessage): void {
  state.held.delete(message.id);
  removeFromIndexes(state, message);
  state.order.held.delete(message.id);
}

/** Gives every held message of user `from` to user `into` (a merge). */
export function moveHeld(state: MemoryState, from: string, into: string): void {
  for (const id of state.heldByUser.keys(from)) (state.held.get(id) as HeldMessage).userId = into;
  state.heldByUser.moveAll(from, into);
}

/**
 * Messages parked behind a closed session window. `release` selects and deletes in one synchronous
 * step, so when a user's reply reaches two instances at once each held message goes out once.
 *
 * @example
 * ```ts
 * await store.held.hold({ userId, channel: 'whatsapp', deliveryId, heldAt: new Date() });
 * const due = await store.held.release({ userId, channel: 'whatsapp' }); // each one exactly once
 * ```
 */
export function createHeldMessageStore(state: MemoryState): HeldMessageStore {
  return {
    async hold(input) {
      const message: HeldMessage = { id: state.generateId(), ...copy(input) };
      const replaced = state.held.get(message.id);
      // Only a repeated id gets here (the generator's, or one in the input): the map keeps the
      // replaced message's place, so the order does too.
      if (replaced === undefined) state.order.held.add(message.id);
      else removeFromIndexes(state, replaced);
      state.held.set(message.id, message);
      state.heldByUser.add(message.userId, message.id);
      state.heldByDelivery.add(message.deliveryId, message.id);
      return copy(message);
    },

    async release({ userId, channel }) {
      const taken = heldOf(state, userId).filter((message) => message.channel === channel);
      for (const message of taken) removeHeld(state, message);
      // No copy: these objects left the store just now, and nothing in it points at them any more.
      return oldestFirst(taken);
    },

    async list(userId) {
      return copy(oldestFirst(heldOf(state, userId)));
    },
  };
}
