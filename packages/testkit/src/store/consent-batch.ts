import type { AddressKey } from '@threadline/core';
import { describe, expect, it } from 'vitest';
import { MINUTE, PHONE_A, PHONE_B, PHONE_C } from './fixtures';
import type { StoreHarness } from './harness';
import { batchReadOrSkip, type ReadBatchOffer } from './read-batch';

/**
 * `ConsentStore.isOptedOutMany` (the core reads the consent of one tick's bulk sends together):
 * each key answered as `isOptedOut` answers it alone, in key order. Runs when the store has it,
 * or as the suite's `readBatches` option declares.
 */
export function describeConsentBatch(h: StoreHarness, offered: ReadBatchOffer): void {
  describe('consent.isOptedOutMany (batch read)', () => {
    if (offered === false) {
      it('is not offered (the core calls isOptedOut per address)', () => {
        expect(h.store.consent.isOptedOutMany).toBeUndefined();
      });
      return;
    }

    const isOptedOutManyOf = (context: Parameters<typeof batchReadOrSkip>[0]) =>
      batchReadOrSkip(
        context,
        offered,
        h.store.consent,
        'isOptedOutMany',
        'consent.isOptedOutMany',
      );

    it('answers each key as isOptedOut would, in key order, duplicates included', async (context) => {
      const isOptedOutMany = isOptedOutManyOf(context);
      const at = h.clock.date();
      await h.store.consent.record({ channel: 'sms', address: PHONE_A, status: 'opted-out', at });
      await h.store.consent.record({ channel: 'sms', address: PHONE_B, status: 'opted-out', at });
      // A later START: B is in again, with a record.
      await h.store.consent.record({
        channel: 'sms',
        address: PHONE_B,
        status: 'opted-in',
        at: new Date(at.getTime() + MINUTE),
      });
      const keys: AddressKey[] = [
        { channel: 'whatsapp', address: PHONE_A },
        { channel: 'sms', address: PHONE_A },
        { channel: 'sms', address: PHONE_B },
        { channel: 'sms', address: PHONE_C },
        { channel: 'sms', address: PHONE_A },
        // The pair (sms, PHONE_A) run together differently: another address.
        { channel: `sms${PHONE_A.slice(0, 3)}`, address: PHONE_A.slice(3) },
      ];
      const answers = await isOptedOutMany(keys);
      expect(answers).toEqual([false, true, false, false, true, false]);
      const single = await Promise.all(keys.map((key) => h.store.consent.isOptedOut(key)));
      expect(answers).toEqual(single);
    });

    it('answers a batch larger than the core groups, one answer per key in order', async (context) => {
      const isOptedOutMany = isOptedOutManyOf(context);
      const keys = Array.from({ length: 250 }, (_, index) => ({
        channel: 'sms',
        address: `+4477009${String(index).padStart(5, '0')}`,
      }));
      const optedOut = new Set([0, 7, 100, 249]);
      for (const index of optedOut) {
        await h.store.consent.record({
          ...(keys[index] as AddressKey),
          status: 'opted-out',
          at: h.clock.date(),
        });
      }
      expect(await isOptedOutMany(keys)).toEqual(keys.map((_, index) => optedOut.has(index)));
    });

    it('answers no keys with no answers', async (context) => {
      const isOptedOutMany = isOptedOutManyOf(context);
      expect(await isOptedOutMany([])).toEqual([]);
    });
  });
}
