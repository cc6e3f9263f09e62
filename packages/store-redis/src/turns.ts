import { checkCount, checkDuration, type PendingTurn, type TurnStore } from '@threadline/core';
import type { RedisContext } from './context';
import { resolveIntents, toTurn, turnSlot } from './turn-intents';
import { CLAIM_DUE, COMPLETE, ENQUEUE, READ, RENEW } from './turn-scripts';

/** Oldest first, as the contract orders a claim: `createdAt`, then `seq`. */
function byAge(a: PendingTurn, b: PendingTurn): number {
  return a.createdAt.getTime() - b.createdAt.getTime() || a.seq - b.seq || (a.id < b.id ? -1 : 1);
}

/**
 * Durable agent turns under the `{tn}` hash tag (keys: see `turn-scripts.ts`): each method is
 * one script in that slot, so a claim never hands one turn to two callers, nor one thread's turns
 * out of order. `claimDue` also
 * resolves the turn intents of `inbound.record` calls that died before binding them
 * (`turn-intents.ts`): a few more round trips, only when there are such intents.
 *
 * @example
 * ```ts
 * const due = await store.turns.claimDue({ owner: 'instance-b', limit: 20, leaseMs: 60_000 });
 * ```
 */
export function createTurnStore(ctx: RedisContext): TurnStore {
  const { base, keys } = turnSlot(ctx);
  const now = () => ctx.clock.now();

  return {
    async enqueue(input) {
      checkDuration(input.leaseMs, 'leaseMs', 'lease');
      const at = now();
      const reply = await ctx.conn.run('turns.enqueue', ENQUEUE, keys, [
        base,
        ctx.generateId(),
        input.threadId,
        String(input.seq),
        input.userId,
        input.adapterId,
        input.channel,
        input.address,
        input.owner,
        String(at + Math.ceil(input.leaseMs)),
        String(at),
      ]);
      return toTurn(reply);
    },

    async claimDue({ owner, limit, leaseMs }) {
      checkCount(limit, 'limit', 'turn claim');
      checkDuration(leaseMs, 'leaseMs', 'lease');
      const at = now();
      const reply = await ctx.conn.run('turns.claimDue', CLAIM_DUE, keys, [
        base,
        String(at),
        owner,
        String(Math.ceil(leaseMs)),
        String(limit),
      ]);
      const [turns, intents] = Array.isArray(reply) ? reply : [];
      const claimed = (Array.isArray(turns) ? turns : [])
        .map(toTurn)
        .filter((turn): turn is PendingTurn => turn !== null);
      const resolved = await resolveIntents(ctx, intents ?? null, at);
      return resolved.length === 0 ? claimed : [...resolved, ...claimed].sort(byAge);
    },

    async renew(id, { owner, leaseMs }) {
      checkDuration(leaseMs, 'leaseMs', 'lease');
      const at = now();
      const reply = await ctx.conn.run('turns.renew', RENEW, keys, [
        base,
        id,
        owner,
        String(at),
        String(at + Math.ceil(leaseMs)),
      ]);
      return reply === 1;
    },

    async complete(id, owner) {
      return (await ctx.conn.run('turns.complete', COMPLETE, keys, [base, id, owner])) === 1;
    },

    async get(id) {
      return toTurn(await ctx.conn.run('turns.get', READ, keys, [base, id]));
    },
  };
}
