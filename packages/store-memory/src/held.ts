import type { HeldMessage, HeldMessageStore } from '@threadline/core';
import { copy, type MemoryState } from './state';

/** Oldest first; held messages with one `heldAt` keep the order they were held in. */
function oldestFirst(messages: HeldMessage[]): HeldMessage[] {
  return messages.sort((a, b) => a.heldAt.getTime() - b.heldAt.getTime());
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
      state.held.set(message.id, message);
      return copy(message);
    },

    async release({ userId, channel }) {
      const taken = [...state.held.values()].filter(
        (message) => message.userId === userId && message.channel === channel,
      );
      for (const message of taken) state.held.delete(message.id);
      return copy(oldestFirst(taken));
    },

    async list(userId) {
      const found = [...state.held.values()].filter((message) => message.userId === userId);
      return copy(oldestFirst(found));
    },
  };
}
