import { describe, expect, it } from 'vitest';
import { MINUTE, PHONE_A, PHONE_B } from './fixtures';
import type { StoreHarness } from './harness';

/** `ConsentStore`: record, get, isOptedOut. */
export function describeConsent(h: StoreHarness): void {
  const sms = { channel: 'sms', address: PHONE_A };

  describe('consent', () => {
    it('records an opt-out that get and isOptedOut then report', async () => {
      const at = h.clock.date();
      const recorded = await h.store.consent.record({
        ...sms,
        status: 'opted-out',
        at,
        keyword: 'STOP',
      });
      expect(recorded).toEqual({ ...sms, status: 'opted-out', at, keyword: 'STOP' });
      expect(await h.store.consent.get(sms)).toEqual(recorded);
      expect(await h.store.consent.isOptedOut(sms)).toBe(true);
    });

    it('a newer decision replaces the stored one', async () => {
      await h.store.consent.record({
        ...sms,
        status: 'opted-out',
        at: h.clock.date(),
        keyword: 'STOP',
      });
      const later = new Date(h.clock.now() + MINUTE);
      const back = await h.store.consent.record({
        ...sms,
        status: 'opted-in',
        at: later,
        keyword: 'START',
      });
      expect(back).toMatchObject({ status: 'opted-in', at: later, keyword: 'START' });
      expect(await h.store.consent.isOptedOut(sms)).toBe(false);
    });

    it('an older decision does not override a newer one', async () => {
      const newer = new Date(h.clock.now() + 5 * MINUTE);
      await h.store.consent.record({ ...sms, status: 'opted-out', at: newer, keyword: 'STOP' });
      const result = await h.store.consent.record({
        ...sms,
        status: 'opted-in',
        at: h.clock.date(),
      });
      expect(result).toMatchObject({ status: 'opted-out', at: newer });
      expect(await h.store.consent.get(sms)).toMatchObject({
        status: 'opted-out',
        at: newer,
        keyword: 'STOP',
      });
      expect(await h.store.consent.isOptedOut(sms)).toBe(true);
    });

    it('an unknown address has no record and is not opted out', async () => {
      expect(await h.store.consent.get(sms)).toBeNull();
      expect(await h.store.consent.isOptedOut(sms)).toBe(false);
    });

    it('consent is kept per channel and address', async () => {
      await h.store.consent.record({ ...sms, status: 'opted-out', at: h.clock.date() });
      expect(await h.store.consent.isOptedOut({ channel: 'whatsapp', address: PHONE_A })).toBe(
        false,
      );
      expect(await h.store.consent.isOptedOut({ channel: 'sms', address: PHONE_B })).toBe(false);
    });
  });
}
