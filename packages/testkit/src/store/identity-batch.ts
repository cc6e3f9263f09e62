import type { AddressKey } from '@threadline/core';
import { describe, expect, it } from 'vitest';
import { PHONE_A, PHONE_B, PHONE_C } from './fixtures';
import type { StoreHarness } from './harness';
import { batchReadOrSkip, type ReadBatchOffer } from './read-batch';

/**
 * `IdentityStore.getMany` (the core reads the identities of one tick's bulk sends together): each
 * key answered as `get` answers it alone, in key order, as copies. Runs when the store has it, or
 * as the suite's `readBatches` option declares.
 */
export function describeIdentityBatch(h: StoreHarness, offered: ReadBatchOffer): void {
  describe('identities.getMany (batch read)', () => {
    if (offered === false) {
      it('is not offered (the core calls get per address)', () => {
        expect(h.store.identities.getMany).toBeUndefined();
      });
      return;
    }

    const getManyOf = (context: Parameters<typeof batchReadOrSkip>[0]) =>
      batchReadOrSkip(context, offered, h.store.identities, 'getMany', 'identities.getMany');

    it('answers each key as get would, in key order, duplicates included', async (context) => {
      const getMany = getManyOf(context);
      const ann = await h.store.identities.resolve({
        channel: 'whatsapp',
        address: PHONE_A,
        kind: 'phone',
      });
      await h.store.identities.touch(
        { channel: 'whatsapp', address: PHONE_A },
        { inboundAt: h.clock.date(), adapterId: 'wa', reference: { page: 'p1', ids: [1, 2] } },
      );
      await h.store.identities.resolve({ channel: 'sms', address: PHONE_B, kind: 'phone' });
      await h.store.identities.resolve({ channel: 'web', address: 'chat-1', kind: 'channel' });
      const keys: AddressKey[] = [
        { channel: 'sms', address: PHONE_B },
        { channel: 'sms', address: PHONE_C },
        { channel: 'whatsapp', address: PHONE_A },
        // Ann's number on another channel: no identity there yet.
        { channel: 'sms', address: PHONE_A },
        { channel: 'sms', address: PHONE_B },
        // (web, chat-1) run together differently: another address.
        { channel: 'webc', address: 'hat-1' },
      ];
      const answers = await getMany(keys);
      const single = await Promise.all(keys.map((key) => h.store.identities.get(key)));
      expect(answers).toEqual(single);
      expect(answers.map((identity) => identity?.address ?? null)).toEqual([
        PHONE_B,
        null,
        PHONE_A,
        null,
        PHONE_B,
        null,
      ]);
      expect(answers[2]).toMatchObject({
        userId: ann.user.id,
        lastAdapterId: 'wa',
        reference: { page: 'p1', ids: [1, 2] },
      });
    });

    it('reads only: an unknown address stays unknown', async (context) => {
      const getMany = getManyOf(context);
      const unknown = { channel: 'sms', address: PHONE_C };
      expect(await getMany([unknown, unknown])).toEqual([null, null]);
      expect(await h.store.identities.get(unknown)).toBeNull();
      expect(await h.store.users.findByContact({ kind: 'phone', value: PHONE_C })).toBeNull();
    });

    it('answers copies: changing one changes neither the store nor a duplicate', async (context) => {
      const getMany = getManyOf(context);
      const key = { channel: 'whatsapp', address: PHONE_A };
      await h.store.identities.resolve({ ...key, kind: 'phone' });
      await h.store.identities.touch(key, { reference: { page: 'p1' } });
      const stored = await h.store.identities.get(key);
      const [first, second] = await getMany([key, key]);
      if (!first || !second) throw new Error('the identity was not found');
      first.userId = 'someone-else';
      (first.reference as { page: string }).page = 'changed';
      expect(second).toEqual(stored);
      expect(await h.store.identities.get(key)).toEqual(stored);
    });

    it('answers a batch larger than the core groups, one answer per key in order', async (context) => {
      const getMany = getManyOf(context);
      const keys = Array.from({ length: 250 }, (_, index) => ({
        channel: 'sms',
        address: `+4477009${String(index).padStart(5, '0')}`,
      }));
      const known = [0, 7, 100, 249];
      for (const index of known) {
        await h.store.identities.resolve({ ...(keys[index] as AddressKey), kind: 'phone' });
      }
      const answers = await getMany(keys);
      expect(answers.map((identity) => identity?.address ?? null)).toEqual(
        keys.map((key, index) => (known.includes(index) ? key.address : null)),
      );
    });

    it('answers no keys with no answers', async (context) => {
      expect(await getManyOf(context)([])).toEqual([]);
    });
  });
}
