import type { DedupeStore } from '@threadline/core';
import { describe, expect, it } from 'vitest';
import { errorOf, MINUTE } from './fixtures';
import type { StoreHarness } from './harness';

/** The core's provisional claim: thirty seconds until the message is recorded. */
const PROVISIONAL = 30_000;
/** The full dedupe window the claim is extended to. */
const FULL = 7 * 24 * 60 * MINUTE;

/**
 * `DedupeStore.extend`: the provisional claim the core makes before recording a message, extended
 * to the full window once it is recorded. `offered: false` checks that the store leaves it out.
 */
export function describeDedupeExtend(h: StoreHarness, offered: boolean): void {
  describe('dedupe.extend', () => {
    if (!offered) {
      it('is not offered (the core claims for the full window at once)', () => {
        expect(h.store.dedupe.extend).toBeUndefined();
      });
      return;
    }

    function extend(): NonNullable<DedupeStore['extend']> {
      const method = h.store.dedupe.extend;
      if (method === undefined) throw new Error('store.dedupe.extend is missing');
      return method.bind(h.store.dedupe);
    }

    it('keeps an extended claim live past its first ttl, until the new one runs out', async () => {
      expect(await h.store.dedupe.claim('wamid.x1', PROVISIONAL)).toBe(true);
      expect(await extend()('wamid.x1', FULL)).toBe(true);
      h.clock.advance(PROVISIONAL + 1);
      expect(await h.store.dedupe.claim('wamid.x1', PROVISIONAL)).toBe(false);
      h.clock.advance(FULL - PROVISIONAL - 2);
      expect(await h.store.dedupe.claim('wamid.x1', PROVISIONAL)).toBe(false);
      h.clock.advance(2);
      expect(await h.store.dedupe.claim('wamid.x1', PROVISIONAL)).toBe(true);
    });

    it('an unextended provisional claim expires, and the key can be claimed again', async () => {
      expect(await h.store.dedupe.claim('wamid.x2', PROVISIONAL)).toBe(true);
      h.clock.advance(PROVISIONAL + 1);
      expect(await h.store.dedupe.claim('wamid.x2', FULL)).toBe(true);
    });

    it('answers false and claims nothing for a key never claimed, released, or expired', async () => {
      expect(await extend()('wamid.never', FULL)).toBe(false);
      expect(await h.store.dedupe.claim('wamid.never', PROVISIONAL)).toBe(true);

      await h.store.dedupe.claim('wamid.released', PROVISIONAL);
      await h.store.dedupe.release('wamid.released');
      expect(await extend()('wamid.released', FULL)).toBe(false);
      expect(await h.store.dedupe.claim('wamid.released', PROVISIONAL)).toBe(true);

      await h.store.dedupe.claim('wamid.expired', PROVISIONAL);
      h.clock.advance(PROVISIONAL + 1);
      expect(await extend()('wamid.expired', FULL)).toBe(false);
      expect(await h.store.dedupe.claim('wamid.expired', PROVISIONAL)).toBe(true);
    });

    it('rejects a ttl that is not a positive number', async () => {
      await h.store.dedupe.claim('wamid.x3', PROVISIONAL);
      await expect(extend()('wamid.x3', 0)).rejects.toMatchObject(errorOf('validation'));
    });
  });
}
