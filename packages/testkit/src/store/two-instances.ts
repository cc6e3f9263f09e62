import type { ThreadStore } from '@threadline/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeClock, type FakeClock } from '../fake-clock';
import { inbound, MINUTE, newDelivery, newPendingTurn, oneTo, userWithThread } from './fixtures';

/**
 * Makes two store objects on ONE fresh, empty database (two pools, two Redis connections: what
 * two instances of an app would have), both taking "now" from `clock`. Closing both must leave
 * nothing for the next test.
 */
export type StorePairFactory = (context: {
  clock: FakeClock;
}) => readonly [ThreadStore, ThreadStore] | Promise<readonly [ThreadStore, ThreadStore]>;

/** Concurrent callers per race: enough that interleavings happen, few enough for a CI box. */
const RACERS = 20;
const LEASE = 30_000;

/** One racer's turn claim: up to two turns, as `instance-<index>`. */
function claimTwoTurns(store: ThreadStore, index: number) {
  const part = store.turns;
  if (part === undefined) throw new Error('store.turns is missing');
  return part.claimDue({ owner: `instance-${index}`, limit: 2, leaseMs: LEASE });
}

/**
 * Claims and thread seqs raced across two store objects on one database. The main suite races
 * promises on one object, which a store that is atomic only inside its own process (a lock in
 * memory, a read-then-write across two queries) also passes; here every race alternates between
 * the two objects, so only the database's own atomicity can keep the answers right.
 */
export function describeTwoInstances(factory: StorePairFactory): void {
  describe.sequential('two instances on one database', () => {
    let pair: { a: ThreadStore; b: ThreadStore; clock: FakeClock } | undefined;

    beforeEach(async () => {
      const clock = createFakeClock();
      const [a, b] = await factory({ clock });
      pair = { a, b, clock };
    });

    afterEach(async () => {
      const finished = pair;
      pair = undefined;
      await Promise.all([finished?.a.close(), finished?.b.close()]);
    });

    function current(): { a: ThreadStore; b: ThreadStore; clock: FakeClock } {
      if (pair === undefined) throw new Error('no store pair: only inside a running test');
      return pair;
    }

    /** `RACERS` calls, alternating between the two stores, all started before any is awaited. */
    function race<T>(call: (store: ThreadStore, index: number) => Promise<T>): Promise<T[]> {
      const { a, b } = current();
      return Promise.all(
        Array.from({ length: RACERS }, (_, index) => call(index % 2 === 0 ? a : b, index)),
      );
    }

    it('dedupe.claim: one key claimed by exactly one caller across both', async () => {
      const won = await race((store) => store.dedupe.claim('wamid.race', MINUTE));
      expect(won.filter(Boolean)).toHaveLength(1);
    });

    it('deliveries.create: one idempotency key makes one delivery across both', async () => {
      const { clock } = current();
      const results = await race((store) =>
        store.deliveries.create(newDelivery(clock, { idempotencyKey: 'order-race' })),
      );
      expect(results.filter((result) => result.created)).toHaveLength(1);
      expect(new Set(results.map((result) => result.delivery.id)).size).toBe(1);
    });

    it('deliveries.claimDue: each due delivery goes to exactly one caller across both', async () => {
      const { a, clock } = current();
      for (let index = 0; index < 10; index += 1) await a.deliveries.create(newDelivery(clock));
      const claimed = await race((store, index) =>
        store.deliveries.claimDue({ owner: `instance-${index}`, limit: 2, leaseMs: LEASE }),
      );
      const ids = claimed.flat().map((delivery) => delivery.id);
      expect(ids).toHaveLength(10);
      expect(new Set(ids).size).toBe(10);
    });

    it('leases.acquire: one free lease taken by exactly one owner across both', async () => {
      const won = await race((store, index) =>
        store.leases.acquire({ key: 'thread:race', owner: `instance-${index}`, ttlMs: MINUTE }),
      );
      expect(won.filter(Boolean)).toHaveLength(1);
      const winner = won.indexOf(true);
      expect((await current().b.leases.holder('thread:race'))?.owner).toBe(`instance-${winner}`);
    });

    it('jobs.claimDue: each due job goes to exactly one caller across both', async () => {
      const { a, clock } = current();
      for (let index = 0; index < 5; index += 1) {
        await a.jobs.define({
          id: `job-${index}`,
          handler: 'digest',
          schedule: { type: 'interval', everyMs: MINUTE },
          scheduleKey: `interval:${MINUTE}`,
          nextRunAt: clock.date(),
        });
      }
      const claimed = await race((store, index) =>
        store.jobs.claimDue({ owner: `instance-${index}`, limit: 2, leaseMs: LEASE }),
      );
      const ids = claimed.flat().map((job) => job.id);
      expect(ids.sort()).toEqual(['job-0', 'job-1', 'job-2', 'job-3', 'job-4']);
    });

    it('turns.claimDue: each expired turn goes to exactly one caller across both', async () => {
      const { a, b, clock } = current();
      // Optional part: a store without it has nothing to race.
      if (a.turns === undefined || b.turns === undefined) return;
      // One turn per thread: a thread's later turns wait behind its claimed ones.
      for (let thread = 1; thread <= 5; thread += 1) {
        await a.turns.enqueue(
          newPendingTurn({
            threadId: `thread-race-${thread}`,
            owner: 'instance-dead',
            leaseMs: LEASE,
          }),
        );
      }
      clock.advance(LEASE + 1);
      const claimed = await race(claimTwoTurns);
      const ids = claimed.flat().map((turn) => turn.id);
      expect(ids).toHaveLength(5);
      expect(new Set(ids).size).toBe(5);
    });

    it("turns.claimDue: one thread's expired turns go to one caller across both, in order", async () => {
      const { a, b, clock } = current();
      if (a.turns === undefined || b.turns === undefined) return;
      for (let seq = 1; seq <= 5; seq += 1) {
        await a.turns.enqueue(
          newPendingTurn({ threadId: 'thread-race', seq, owner: 'instance-dead', leaseMs: LEASE }),
        );
      }
      clock.advance(LEASE + 1);
      const claimed = await race(claimTwoTurns);
      const won = claimed.filter((turns) => turns.length > 0);
      expect(won.map((turns) => turns.map((turn) => turn.seq))).toEqual([[1, 2]]);
    });

    it('threads.append: seqs raced across both are 1..n, no duplicate, no gap', async () => {
      const { a, clock } = current();
      const { threadId } = await userWithThread(a);
      const appended = await race((store, index) =>
        store.threads.append(threadId, inbound(clock.date(), `message ${index}`)),
      );
      expect(appended.map((entry) => entry.seq).sort((x, y) => x - y)).toEqual(oneTo(RACERS));
      const read = await current().b.threads.read(threadId, { after: 0, limit: RACERS });
      expect(read.map((entry) => entry.seq)).toEqual(oneTo(RACERS));
    });
  });
}
