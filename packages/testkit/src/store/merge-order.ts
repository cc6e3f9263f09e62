import { describe, expect, it } from 'vitest';
import { inbound, MINUTE, oneTo, PHONE_A, PHONE_B } from './fixtures';
import type { StoreHarness } from './harness';

/**
 * `UserStore.merge` joining two threads with one agent: the entries' order in the joined thread,
 * by time, and on an equal `at` the target's first, each thread's in its own order.
 */
export function describeMergeOrder(h: StoreHarness): void {
  /** Two users with a `support` thread each; returns the thread ids. */
  async function twoThreads() {
    const into = await h.store.users.create({ phoneNumbers: [PHONE_A] });
    const from = await h.store.users.create({ phoneNumbers: [PHONE_B] });
    const kept = await h.store.threads.ensure({ userId: into.id, agentId: 'support' });
    const joined = await h.store.threads.ensure({ userId: from.id, agentId: 'support' });
    return { into: into.id, from: from.id, kept: kept.id, joined: joined.id };
  }

  describe('users: merge order', () => {
    it("merge puts the source thread's older entries before the target's", async () => {
      const { into, from, kept, joined } = await twoThreads();
      const t0 = h.clock.now();
      const at = (minutes: number) => new Date(t0 + minutes * MINUTE);
      await h.store.threads.append(kept, inbound(at(10), 'k1'));
      await h.store.threads.append(kept, inbound(at(11), 'k2'));
      await h.store.threads.append(kept, inbound(at(12), 'k3'));
      await h.store.threads.append(joined, inbound(at(1), 'j1'));
      await h.store.threads.append(joined, inbound(at(2), 'j2'));

      await h.store.users.merge({ into, from });

      const entries = await h.store.threads.read(kept, { after: 0, limit: 100 });
      expect(entries.map((entry) => entry.text)).toEqual(['j1', 'j2', 'k1', 'k2', 'k3']);
      expect(entries.map((entry) => entry.seq)).toEqual(oneTo(5));
    });

    it("entries with one at keep the target's first, each thread's in its own order", async () => {
      const { into, from, kept, joined } = await twoThreads();
      const at = h.clock.date();
      for (const text of ['k1', 'k2', 'k3']) await h.store.threads.append(kept, inbound(at, text));
      for (const text of ['j1', 'j2', 'j3']) {
        await h.store.threads.append(joined, inbound(at, text));
      }

      await h.store.users.merge({ into, from });

      const entries = await h.store.threads.read(kept, { after: 0, limit: 100 });
      expect(entries.map((entry) => entry.text)).toEqual(['k1', 'k2', 'k3', 'j1', 'j2', 'j3']);
      expect(entries.map((entry) => entry.seq)).toEqual(oneTo(6));
    });
  });
}
