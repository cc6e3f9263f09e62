import { describe, expect, it } from 'vitest';
import { PHONE_A } from './fixtures';
import type { StoreHarness } from './harness';

/** `ConsentStore.record` with two decisions at one `at`: the one recorded later wins. */
export function describeConsentTies(h: StoreHarness): void {
  const sms = { channel: 'sms', address: PHONE_A };

  describe('consent: equal times', () => {
    it('of two decisions with one at, the one recorded later wins', async () => {
      const at = h.clock.date();
      await h.store.consent.record({ ...sms, status: 'opted-out', at, keyword: 'STOP' });
      const back = await h.store.consent.record({ ...sms, status: 'opted-in', at });
      expect(back).toEqual({ ...sms, status: 'opted-in', at });
      expect(await h.store.consent.get(sms)).toEqual({ ...sms, status: 'opted-in', at });
      expect(await h.store.consent.isOptedOut(sms)).toBe(false);
      await h.store.consent.record({ ...sms, status: 'opted-out', at, keyword: 'STOP' });
      expect(await h.store.consent.isOptedOut(sms)).toBe(true);
    });
  });
}
