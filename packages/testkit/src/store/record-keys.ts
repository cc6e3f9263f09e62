import { describe, expect, it } from 'vitest';
import { PHONE_A } from './fixtures';
import type { StoreHarness } from './harness';

/**
 * How records are found: a key of two parts is the pair, not the two run together as text, and an
 * unknown user is reported as exactly that.
 */
export function describeRecordKeys(h: StoreHarness): void {
  describe('record keys', () => {
    it('addresses, consent and dead letters whose two key parts run together as text stay apart', async () => {
      const first = await h.store.identities.resolve({
        channel: 'web',
        address: 'chat-1',
        kind: 'channel',
      });
      const second = await h.store.identities.resolve({
        channel: 'webc',
        address: 'hat-1',
        kind: 'channel',
      });
      expect(second.created).toBe(true);
      expect(second.user.id).not.toBe(first.user.id);

      await h.store.consent.record({
        channel: 'sms',
        address: PHONE_A,
        status: 'opted-out',
        at: h.clock.date(),
      });
      const joined = { channel: `sms${PHONE_A.slice(0, 3)}`, address: PHONE_A.slice(3) };
      expect(await h.store.consent.isOptedOut(joined)).toBe(false);
      expect(await h.store.consent.get(joined)).toBeNull();

      const deadLetters = h.store.deadLetters;
      if (deadLetters === undefined) return;
      await deadLetters.recordFailure({
        adapterId: 'wa',
        providerMessageId: 'b1',
        channel: 'whatsapp',
        at: h.clock.date(),
        error: { name: 'StoreError', code: 'store_failed', message: 'poison' },
        message: { text: 'poison' },
        maxAttempts: 1,
      });
      expect(await deadLetters.get({ adapterId: 'wab', providerMessageId: '1' })).toBeNull();
    });

    it("an unknown user is a NotFoundError of kind 'user' with code user_not_found and the id", async () => {
      const unknownUser = {
        name: 'NotFoundError',
        kind: 'user',
        code: 'user_not_found',
        id: 'ghost',
      };
      await expect(
        h.store.threads.ensure({ userId: 'ghost', agentId: 'support' }),
      ).rejects.toMatchObject(unknownUser);
      await expect(h.store.users.update('ghost', { displayName: 'Ann' })).rejects.toMatchObject(
        unknownUser,
      );
      await expect(
        h.store.identities.link({
          channel: 'sms',
          address: PHONE_A,
          kind: 'phone',
          userId: 'ghost',
        }),
      ).rejects.toMatchObject(unknownUser);
    });
  });
}
