import type { InboundRecorded, InboundRecordInput, InboundRecordResult } from '@threadline/core';
import { describe, expect, it } from 'vitest';
import { errorOf, MINUTE, PHONE_A } from './fixtures';
import type { StoreHarness } from './harness';

const LEASE = MINUTE;
const TURN = { owner: 'instance-a', leaseMs: LEASE };

/**
 * `InboundRecordInput.turn`: a store with `inbound` and `turns` either enqueues the new entry's
 * turn in the same step as the record (and says so with `result.turn`), or leaves `turn` out of
 * the result and enqueues nothing (the core then enqueues it itself). Registered only when the
 * suite checks both parts.
 */
export function describeInboundTurn(h: StoreHarness): void {
  describe('inbound record with its turn', () => {
    function input(id: string): InboundRecordInput {
      return {
        claimKey: `inbound:wa:${id}`,
        claimTtlMs: 10 * MINUTE,
        sender: { channel: 'whatsapp', address: PHONE_A, kind: 'phone' },
        adapterId: 'wa',
        agentId: 'support',
        entry: { direction: 'inbound', at: h.clock.date(), text: id, channel: 'whatsapp' },
        turn: TURN,
      };
    }

    async function record(id: string): Promise<InboundRecorded> {
      const result: InboundRecordResult | undefined = await h.store.inbound?.record(input(id));
      if (result === undefined || result.duplicate) throw new Error('expected a record');
      return result;
    }

    /** Every pending turn, taken by a probe once every lease has run out. */
    async function pending() {
      h.clock.advance(LEASE + 1);
      const turns = h.store.turns;
      if (turns === undefined) throw new Error('store.turns is missing');
      return turns.claimDue({ owner: 'probe', limit: 100, leaseMs: LEASE });
    }

    it('enqueues the turn of the new entry with the record, or leaves it to the caller', async () => {
      const result = await record('wamid.t1');
      if (result.turn === undefined) {
        // Not atomic in this store: nothing was enqueued, the core enqueues the turn itself.
        expect(await pending()).toEqual([]);
        return;
      }
      expect(result.turn).toMatchObject({
        threadId: result.thread.id,
        seq: result.entry.seq,
        userId: result.user.id,
        adapterId: 'wa',
        channel: 'whatsapp',
        address: result.identity.address,
        attempts: 1,
        lease: { owner: 'instance-a', expiresAt: new Date(h.clock.now() + LEASE) },
      });
      expect(await h.store.turns?.get(result.turn?.id ?? '')).toEqual(result.turn);
      // A duplicate records nothing, so it enqueues nothing either.
      expect(await h.store.inbound?.record(input('wamid.t1'))).toEqual({ duplicate: true });
      expect((await pending()).map((turn) => turn.id)).toEqual([result.turn?.id]);
    });

    it('a rejected record enqueues no turn', async () => {
      const first = await record('wamid.t1');
      await h.store.turns?.complete(first.turn?.id ?? '', TURN.owner);
      const bad = input('wamid.t2');
      bad.entry.at = new Date(Number.NaN);
      await expect(h.store.inbound?.record(bad)).rejects.toMatchObject(errorOf('validation'));
      if (first.turn !== undefined) {
        // A store that uses the lease checks it before it writes anything.
        const badLease = { ...input('wamid.t3'), turn: { owner: 'instance-a', leaseMs: 0 } };
        await expect(h.store.inbound?.record(badLease)).rejects.toMatchObject(
          errorOf('validation'),
        );
        expect(await h.store.dedupe.claim('inbound:wa:wamid.t3', MINUTE)).toBe(true);
      }
      expect(await pending()).toEqual([]);
      expect(await h.store.dedupe.claim('inbound:wa:wamid.t2', MINUTE)).toBe(true);
    });
  });
}
