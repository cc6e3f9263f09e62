import { describe, expect, it } from 'vitest';
import type { StoreHarness } from './harness';

const TTL = 30_000;
const key = 'turn:thread-1';

/** `LeaseStore`: acquire, renew, release, holder. */
export function describeLeases(h: StoreHarness): void {
  describe('leases', () => {
    it('acquire takes a free lease and holder reports the owner and expiry', async () => {
      expect(await h.store.leases.acquire({ key, owner: 'a', ttlMs: TTL })).toBe(true);
      expect(await h.store.leases.holder(key)).toEqual({
        owner: 'a',
        expiresAt: new Date(h.clock.now() + TTL),
      });
    });

    it('holder is null for a lease never taken', async () => {
      expect(await h.store.leases.holder('free')).toBeNull();
    });

    it('another owner cannot take a live lease; the holder acquiring again renews it', async () => {
      await h.store.leases.acquire({ key, owner: 'a', ttlMs: TTL });
      expect(await h.store.leases.acquire({ key, owner: 'b', ttlMs: TTL })).toBe(false);
      h.clock.advance(TTL / 2);
      expect(await h.store.leases.acquire({ key, owner: 'a', ttlMs: TTL })).toBe(true);
      expect((await h.store.leases.holder(key))?.expiresAt).toEqual(new Date(h.clock.now() + TTL));
    });

    it('50 concurrent acquires by different owners: exactly one wins', async () => {
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, index) =>
          h.store.leases.acquire({ key, owner: `instance-${index}`, ttlMs: TTL }),
        ),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = results.indexOf(true);
      expect((await h.store.leases.holder(key))?.owner).toBe(`instance-${winner}`);
    });

    it('a lease expires with the clock and another owner can take it', async () => {
      await h.store.leases.acquire({ key, owner: 'a', ttlMs: TTL });
      h.clock.advance(TTL + 1);
      expect(await h.store.leases.holder(key)).toBeNull();
      expect(await h.store.leases.acquire({ key, owner: 'b', ttlMs: TTL })).toBe(true);
      expect((await h.store.leases.holder(key))?.owner).toBe('b');
    });

    it('renew extends a lease its owner holds', async () => {
      await h.store.leases.acquire({ key, owner: 'a', ttlMs: TTL });
      h.clock.advance(TTL - 1);
      expect(await h.store.leases.renew({ key, owner: 'a', ttlMs: TTL })).toBe(true);
      h.clock.advance(TTL - 1);
      expect((await h.store.leases.holder(key))?.owner).toBe('a');
      expect(await h.store.leases.acquire({ key, owner: 'b', ttlMs: TTL })).toBe(false);
    });

    it('renew is false for another owner, a lease never taken, or one that expired', async () => {
      await h.store.leases.acquire({ key, owner: 'a', ttlMs: TTL });
      expect(await h.store.leases.renew({ key, owner: 'b', ttlMs: TTL })).toBe(false);
      expect(await h.store.leases.renew({ key: 'never', owner: 'a', ttlMs: TTL })).toBe(false);
      h.clock.advance(TTL + 1);
      expect(await h.store.leases.renew({ key, owner: 'a', ttlMs: TTL })).toBe(false);
      expect(await h.store.leases.holder(key)).toBeNull();
    });

    it('release frees the lease for others; release by a non-holder is false', async () => {
      await h.store.leases.acquire({ key, owner: 'a', ttlMs: TTL });
      expect(await h.store.leases.release({ key, owner: 'b' })).toBe(false);
      expect((await h.store.leases.holder(key))?.owner).toBe('a');
      expect(await h.store.leases.release({ key, owner: 'a' })).toBe(true);
      expect(await h.store.leases.holder(key)).toBeNull();
      expect(await h.store.leases.acquire({ key, owner: 'b', ttlMs: TTL })).toBe(true);
      expect(await h.store.leases.release({ key: 'never', owner: 'a' })).toBe(false);
    });

    it('leases with different keys are independent', async () => {
      expect(await h.store.leases.acquire({ key: 'job:a', owner: 'x', ttlMs: TTL })).toBe(true);
      expect(await h.store.leases.acquire({ key: 'job:b', owner: 'y', ttlMs: TTL })).toBe(true);
    });
  });
}
