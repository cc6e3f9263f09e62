import { inboundInput } from '@threadline/testkit';
import { describe, expect, it } from 'vitest';
import { MINUTE, setup } from './fixtures';

// The contract lets a store leave `InboundRecordInput.turn` to the core (the conformance suite
// accepts either); the memory store does it in the record's own step, and this pins that.
describe('memory inbound.record with a turn', () => {
  it('enqueues the turn in the same step and returns it', async () => {
    const { store, clock } = setup();
    const result = await store.inbound.record(
      inboundInput(clock, 'wamid.1', { turn: { owner: 'instance-a', leaseMs: MINUTE } }),
    );
    if (result.duplicate) throw new Error('expected a record');
    expect(result.turn).toMatchObject({
      threadId: result.thread.id,
      seq: result.entry.seq,
      attempts: 1,
      lease: { owner: 'instance-a', expiresAt: new Date(clock.now() + MINUTE) },
    });
    expect(await store.turns.get(result.turn?.id ?? '')).toEqual(result.turn);
  });
});
