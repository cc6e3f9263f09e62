import type { NewPendingTurn, TurnStore } from '@threadline/core';
import { describe, expect, it } from 'vitest';
import { MINUTE, newPendingTurn } from './fixtures';
import type { StoreHarness } from './harness';

/** The core's default turn lease. */
const LEASE = MINUTE;
/** A lease that has run out after one step of the clock. */
const SHORT = 1;

function newTurn(seq: number, overrides: Partial<NewPendingTurn> = {}): NewPendingTurn {
  return newPendingTurn({ seq, leaseMs: LEASE, ...overrides });
}

/**
 * `TurnStore.claimDue`, beyond turns.ts: which of a thread's expired turns may be taken over
 * while others of the thread are live, and the `seq` tie-break of "oldest first". Registered
 * only when the suite checks `turns`.
 */
export function describeTurnClaimOrder(h: StoreHarness): void {
  describe('turn claim order', () => {
    function turns(): TurnStore {
      const part = h.store.turns;
      if (part === undefined) throw new Error('store.turns is missing');
      return part;
    }

    const claimed = async () =>
      (await turns().claimDue({ owner: 'instance-b', limit: 10, leaseMs: LEASE })).map((turn) => [
        turn.threadId,
        turn.seq,
      ]);

    it("an expired turn ahead of its thread's live turns is claimed", async () => {
      await turns().enqueue(newTurn(1, { leaseMs: SHORT }));
      await turns().enqueue(newTurn(2));
      h.clock.advance(SHORT + 1);
      expect(await claimed()).toEqual([['thread-1', 1]]);
    });

    it('an expired turn between two live turns of its thread is not claimed', async () => {
      await turns().enqueue(newTurn(1));
      await turns().enqueue(newTurn(2, { leaseMs: SHORT }));
      await turns().enqueue(newTurn(3));
      h.clock.advance(SHORT + 1);
      expect(await claimed()).toEqual([]);
    });

    it('turns enqueued at one moment are claimed by seq, whatever order they were enqueued in', async () => {
      await turns().enqueue(newTurn(3, { threadId: 'thread-c' }));
      await turns().enqueue(newTurn(1, { threadId: 'thread-a' }));
      await turns().enqueue(newTurn(2, { threadId: 'thread-b' }));
      h.clock.advance(LEASE + 1);
      expect(await claimed()).toEqual([
        ['thread-a', 1],
        ['thread-b', 2],
        ['thread-c', 3],
      ]);
    });
  });
}
