import { describe, expect, it } from 'vitest';
import { MINUTE } from './fixtures';
import type { StoreHarness } from './harness';

/** Ten minutes: a typical inbound dedupe window. */
const TTL = 10 * MINUTE;

/** Keys claimed in each wave of the many-keys rule. */
const MANY_KEYS = 1_500;

/** `DedupeStore`: claim, release. */
export function describeDedupe(h: StoreHarness): void {
  describe('dedupe', () => {
    it('the first claim of a key wins and later claims lose while it is live', async () => {
      expect(await h.store.dedupe.claim('wamid.1', TTL)).toBe(true);
      expect(await h.store.dedupe.claim('wamid.1', TTL)).toBe(false);
      h.clock.advance(TTL - 1);
      expect(await h.store.dedupe.claim('wamid.1', TTL)).toBe(false);
    });

    it('50 concurrent claims of one key: exactly one wins', async () => {
      const results = await Promise.all(
        Array.from({ length: 50 }, () => h.store.dedupe.claim('wamid.storm', TTL)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('a claim expires after its ttl, and the key can be claimed again', async () => {
      expect(await h.store.dedupe.claim('SM-1', TTL)).toBe(true);
      h.clock.advance(TTL + 1);
      expect(await h.store.dedupe.claim('SM-1', TTL)).toBe(true);
      expect(await h.store.dedupe.claim('SM-1', TTL)).toBe(false);
    });

    it('a losing claim does not extend the live one', async () => {
      await h.store.dedupe.claim('SM-2', TTL);
      h.clock.advance(TTL - MINUTE);
      expect(await h.store.dedupe.claim('SM-2', TTL)).toBe(false);
      h.clock.advance(MINUTE + 1);
      expect(await h.store.dedupe.claim('SM-2', TTL)).toBe(true);
    });

    it('a live claim stays taken and expired ones come free however many keys are claimed', async () => {
      // Enough keys that a store which cleans out expired claims now and then does so meanwhile.
      const claimAll = async (prefix: string, ttlMs: number) => {
        for (let start = 0; start < MANY_KEYS; start += 100) {
          const batch = Array.from({ length: 100 }, (_, i) => `${prefix}-${start + i}`);
          const won = await Promise.all(batch.map((key) => h.store.dedupe.claim(key, ttlMs)));
          expect(won.every(Boolean)).toBe(true);
        }
      };
      expect(await h.store.dedupe.claim('live', 2 * TTL)).toBe(true);
      await claimAll('old', TTL);
      h.clock.advance(TTL + 1);
      await claimAll('new', TTL);
      expect(await h.store.dedupe.claim('live', TTL)).toBe(false);
      expect(await h.store.dedupe.claim('new-0', TTL)).toBe(false);
      expect(await h.store.dedupe.claim(`new-${MANY_KEYS - 1}`, TTL)).toBe(false);
      expect(await h.store.dedupe.claim('old-0', TTL)).toBe(true);
      expect(await h.store.dedupe.claim(`old-${MANY_KEYS - 1}`, TTL)).toBe(true);
    });

    it('release lets the key be claimed again at once', async () => {
      await h.store.dedupe.claim('SM-3', TTL);
      await h.store.dedupe.release('SM-3');
      expect(await h.store.dedupe.claim('SM-3', TTL)).toBe(true);
    });

    it('keys are independent, and releasing an unclaimed key is harmless', async () => {
      expect(await h.store.dedupe.claim('a', TTL)).toBe(true);
      expect(await h.store.dedupe.claim('b', TTL)).toBe(true);
      await h.store.dedupe.release('never-claimed');
      expect(await h.store.dedupe.claim('a', TTL)).toBe(false);
    });
  });
}
