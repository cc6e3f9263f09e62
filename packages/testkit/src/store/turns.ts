import type { NewPendingTurn, PendingTurn, TurnStore } from '@threadline/core';
import { describe, expect, it } from 'vitest';
import { errorOf, MINUTE, newPendingTurn } from './fixtures';
import type { StoreHarness } from './harness';

/** The core's default turn lease. */
const LEASE = MINUTE;

function newTurn(seq: number, overrides: Partial<NewPendingTurn> = {}): NewPendingTurn {
  return newPendingTurn({ seq, leaseMs: LEASE, ...overrides });
}

function enqueued(turn: PendingTurn | null): PendingTurn {
  if (turn === null) throw new Error('expected the turn to be enqueued');
  return turn;
}

/**
 * `TurnStore`: durable agent turns, leased to the recording instance and taken over by another
 * once the lease runs out. `offered: false` checks that the store leaves the part out.
 */
export function describeTurns(h: StoreHarness, offered: boolean): void {
  describe('turns', () => {
    if (!offered) {
      it('is not offered (turns live only in the recording process)', () => {
        expect(h.store.turns).toBeUndefined();
      });
      return;
    }

    function turns(): TurnStore {
      const part = h.store.turns;
      if (part === undefined) throw new Error('store.turns is missing');
      return part;
    }

    const claim = (owner: string, limit = 10) => turns().claimDue({ owner, limit, leaseMs: LEASE });

    it('enqueue leases the turn to its owner with attempt 1; the same thread and seq again is a no-op', async () => {
      const turn = enqueued(await turns().enqueue(newTurn(1)));
      expect(turn).toMatchObject({
        threadId: 'thread-1',
        seq: 1,
        userId: 'user-1',
        adapterId: 'wa',
        channel: 'whatsapp',
        address: '+447700900123',
        attempts: 1,
        lease: { owner: 'instance-a', expiresAt: new Date(h.clock.now() + LEASE) },
      });
      expect(turn.createdAt).toEqual(h.clock.date());
      expect(await turns().get(turn.id)).toEqual(turn);
      expect(await turns().enqueue(newTurn(1, { owner: 'instance-b' }))).toBeNull();
      expect((await turns().get(turn.id))?.lease.owner).toBe('instance-a');
      expect(enqueued(await turns().enqueue(newTurn(2))).seq).toBe(2);
      expect(enqueued(await turns().enqueue(newTurn(1, { threadId: 'thread-2' }))).seq).toBe(1);
    });

    it('a leased turn is not due; after its lease another owner claims it with the next attempt', async () => {
      const turn = enqueued(await turns().enqueue(newTurn(1)));
      h.clock.advance(LEASE - 1);
      expect(await claim('instance-b')).toEqual([]);
      h.clock.advance(2);
      const [taken, ...rest] = await claim('instance-b');
      expect(rest).toEqual([]);
      expect(taken).toMatchObject({
        id: turn.id,
        attempts: 2,
        lease: { owner: 'instance-b', expiresAt: new Date(h.clock.now() + LEASE) },
      });
      expect(await claim('instance-c')).toEqual([]);
      // The first owner lost it: it can neither renew nor complete it.
      expect(await turns().renew(turn.id, { owner: 'instance-a', leaseMs: LEASE })).toBe(false);
      expect(await turns().complete(turn.id, 'instance-a')).toBe(false);
      expect(await turns().complete(turn.id, 'instance-b')).toBe(true);
      expect(await turns().get(turn.id)).toBeNull();
      expect(await turns().complete(turn.id, 'instance-b')).toBe(false);
      h.clock.advance(LEASE + 1);
      expect(await claim('instance-c')).toEqual([]);
    });

    it('renew keeps a turn from falling due; a completed turn is never due again', async () => {
      const turn = enqueued(await turns().enqueue(newTurn(1)));
      h.clock.advance(LEASE - MINUTE / 2);
      expect(await turns().renew(turn.id, { owner: 'instance-a', leaseMs: LEASE })).toBe(true);
      h.clock.advance(LEASE - 1);
      expect(await claim('instance-b')).toEqual([]);
      expect(await turns().complete(turn.id, 'instance-a')).toBe(true);
      h.clock.advance(2 * LEASE);
      expect(await claim('instance-b')).toEqual([]);
      expect(await turns().renew('no-such-turn', { owner: 'instance-a', leaseMs: LEASE })).toBe(
        false,
      );
    });

    it('claims the oldest first, at most limit, and counts every claim as an attempt', async () => {
      await turns().enqueue(newTurn(1));
      h.clock.advance(1);
      await turns().enqueue(newTurn(1, { threadId: 'thread-2' }));
      h.clock.advance(1);
      await turns().enqueue(newTurn(1, { threadId: 'thread-3' }));
      h.clock.advance(LEASE);
      const firstTwo = await claim('instance-b', 2);
      expect(firstTwo.map((turn) => [turn.threadId, turn.seq])).toEqual([
        ['thread-1', 1],
        ['thread-2', 1],
      ]);
      expect((await claim('instance-b', 2)).map((turn) => turn.threadId)).toEqual(['thread-3']);
      h.clock.advance(LEASE + 1);
      const again = await claim('instance-c');
      expect(again.map((turn) => turn.attempts)).toEqual([3, 3, 3]);
    });

    it("a thread's later turn is not claimed while an earlier one's lease is live, whatever ran out first", async () => {
      const first = enqueued(await turns().enqueue(newTurn(1)));
      await turns().enqueue(newTurn(2));
      await turns().enqueue(newTurn(1, { threadId: 'thread-2' }));
      h.clock.advance(LEASE / 2);
      // Renewed on its own timer, the earlier turn's lease now runs out last.
      expect(await turns().renew(first.id, { owner: 'instance-a', leaseMs: LEASE })).toBe(true);
      h.clock.advance(LEASE / 2 + 1);
      const claimed = await claim('instance-b');
      expect(claimed.map((turn) => [turn.threadId, turn.seq])).toEqual([['thread-2', 1]]);
      h.clock.advance(LEASE / 2);
      expect((await claim('instance-b')).map((turn) => turn.seq)).toEqual([1, 2]);
      // Taken over, both are live again: a third turn of the thread waits behind them.
      await turns().enqueue(newTurn(3, { leaseMs: 1 }));
      h.clock.advance(2);
      expect(await claim('instance-c')).toEqual([]);
    });

    it('20 concurrent claims of 5 due turns: each turn goes to exactly one caller', async () => {
      for (let seq = 1; seq <= 5; seq += 1) {
        await turns().enqueue(newTurn(1, { threadId: `thread-${seq}` }));
      }
      h.clock.advance(LEASE + 1);
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, index) => claim(`instance-${index}`, 2)),
      );
      const ids = results.flat().map((turn) => turn.id);
      expect(ids).toHaveLength(5);
      expect(new Set(ids).size).toBe(5);
    });

    it("20 concurrent claims of one thread's 5 due turns: one caller takes the first ones, in order", async () => {
      for (let seq = 1; seq <= 5; seq += 1) await turns().enqueue(newTurn(seq));
      h.clock.advance(LEASE + 1);
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, index) => claim(`instance-${index}`, 2)),
      );
      expect(
        results
          .filter((claimed) => claimed.length > 0)
          .map((claimed) => claimed.map((turn) => turn.seq)),
      ).toEqual([[1, 2]]);
    });

    it('rejects a lease or limit that is not positive', async () => {
      await expect(turns().enqueue(newTurn(1, { leaseMs: 0 }))).rejects.toMatchObject(
        errorOf('validation'),
      );
      await expect(
        turns().claimDue({ owner: 'instance-a', limit: 0, leaseMs: LEASE }),
      ).rejects.toMatchObject(errorOf('validation'));
      await expect(
        turns().claimDue({ owner: 'instance-a', limit: 1, leaseMs: -1 }),
      ).rejects.toMatchObject(errorOf('validation'));
    });
  });
}
