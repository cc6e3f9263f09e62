import type { ConsentRecord, ConsentStore } from '@threadline/core';
import { copy } from './copy';
import { addressKey, type MemoryState } from './state';

/**
 * Opt-outs per channel address, latest decision wins by its own time (`at`), not by arrival: a
 * `START` processed late must not undo a later `STOP`. Erasing a user leaves these in place.
 *
 * @example
 * ```ts
 * await store.consent.record({ channel: 'sms', address: '+447700900123', status: 'opted-out', at: new Date(), keyword: 'STOP' });
 * await store.consent.isOptedOut({ channel: 'sms', address: '+447700900123' }); // true
 * ```
 */
export function createConsentStore(state: MemoryState): ConsentStore {
  return {
    async record(input) {
      const key = addressKey(input.channel, input.address);
      const stored = state.consent.get(key);
      if (stored !== undefined && input.at < stored.at) return copy(stored);
      const record: ConsentRecord = copy(input);
      state.consent.set(key, record);
      return copy(record);
    },

    async get({ channel, address }) {
      const record = state.consent.get(addressKey(channel, address));
      return record === undefined ? null : copy(record);
    },

    async isOptedOut({ channel, address }) {
      return state.consent.get(addressKey(channel, address))?.status === 'opted-out';
    },

    async isOptedOutMany(keys) {
      return keys.map(
        ({ channel, address }) =>
          state.consent.get(addressKey(channel, address))?.status === 'opted-out',
      );
    },
  };
}
