import { describe, expect, it } from 'vitest';
import { inboundInput, MINUTE, newPendingTurn, userWithThread } from './fixtures';
import type { StoreHarness } from './harness';

/** A duration every store refuses (see validation.ts). */
const ZERO = 0;

/** Expects `call` to fail with a `ValidationError` whose one issue names `path`. */
async function refusedNaming(path: string, call: () => Promise<unknown>): Promise<void> {
  await expect((async () => call())()).rejects.toMatchObject({
    category: 'validation',
    issues: [{ path }],
  });
}

/**
 * The field a `ValidationError` names: a refused argument's issue `path` is the argument as the
 * method's input spells it, so a caller can point at the bad field whatever the store. (The
 * message's wording is not checked.) `options` says which optional parts to check, as in
 * `runStoreConformance`.
 */
export function describeValidationPaths(
  h: StoreHarness,
  options: { turns: boolean; inboundTurns: boolean },
): void {
  describe('input validation names the field', () => {
    it('dedupe and leases name ttlMs', async () => {
      await refusedNaming('ttlMs', () => h.store.dedupe.claim('wamid.v', ZERO));
      const extend = h.store.dedupe.extend?.bind(h.store.dedupe);
      if (extend !== undefined) await refusedNaming('ttlMs', () => extend('wamid.v', ZERO));
      const lease = { key: 'thread:v', owner: 'instance-a', ttlMs: ZERO };
      await refusedNaming('ttlMs', () => h.store.leases.acquire(lease));
      await refusedNaming('ttlMs', () => h.store.leases.renew(lease));
    });

    it('jobs.claimDue names limit or leaseMs', async () => {
      const claim = (limit: number, leaseMs: number) =>
        h.store.jobs.claimDue({ owner: 'instance-a', limit, leaseMs });
      await refusedNaming('limit', () => claim(0, MINUTE));
      await refusedNaming('leaseMs', () => claim(1, ZERO));
    });

    it('threads.read names latest, limit, after or before', async () => {
      const { threadId } = await userWithThread(h.store);
      const read = (options: Parameters<typeof h.store.threads.read>[1]) =>
        h.store.threads.read(threadId, options);
      await refusedNaming('latest', () => read({ latest: 0 }));
      await refusedNaming('limit', () => read({ after: 0, limit: 0 }));
      await refusedNaming('limit', () => read({ before: 2, limit: 0 }));
      await refusedNaming('after', () => read({ after: -1 }));
      await refusedNaming('before', () => read({ before: -1 }));
    });

    if (options.turns) {
      it('turns name limit or leaseMs', async () => {
        const part = h.store.turns;
        if (part === undefined) throw new Error('store.turns is missing');
        await refusedNaming('leaseMs', () => part.enqueue(newPendingTurn({ leaseMs: ZERO })));
        const claim = (limit: number, leaseMs: number) =>
          part.claimDue({ owner: 'instance-a', limit, leaseMs });
        await refusedNaming('limit', () => claim(0, MINUTE));
        await refusedNaming('leaseMs', () => claim(1, ZERO));
        const turn = await part.enqueue(newPendingTurn());
        if (turn === null) throw new Error('expected the turn to be enqueued');
        await refusedNaming('leaseMs', () =>
          part.renew(turn.id, { owner: 'instance-a', leaseMs: ZERO }),
        );
      });
    }

    if (options.inboundTurns) {
      it('inbound.record names turn.leaseMs', async () => {
        const part = h.store.inbound;
        if (part === undefined) throw new Error('store.inbound is missing');
        const input = inboundInput(h.clock, 'wamid.v', {
          turn: { owner: 'instance-a', leaseMs: ZERO },
        });
        await refusedNaming('turn.leaseMs', () => part.record(input));
      });
    }
  });
}
