import { checkInboundRecord, type InboundLog } from '@threadline/core';
import { claimKey } from './dedupe';
import { hasHeld } from './held';
import { resolveIdentity, touchIdentity } from './identities';
import type { StoreContext } from './rows';
import { appendEntry, ensureThread } from './threads';

/**
 * Records an inbound message as one fact: claim, resolve, touch, ensure, append and the held
 * check run in one SQLite transaction, so a failure at any step rolls back the claim too and the
 * provider's retry starts from scratch.
 */
export function createInboundLog(ctx: StoreContext): InboundLog {
  return {
    async record(input) {
      checkInboundRecord(input);
      return ctx.db.transaction(() => {
        if (!claimKey(ctx, input.claimKey, input.claimTtlMs)) return { duplicate: true };
        const resolved = resolveIdentity(ctx, input.sender);
        const identity = touchIdentity(ctx, input.sender, {
          inboundAt: input.entry.at,
          adapterId: input.adapterId,
          ...(input.reference === undefined ? {} : { reference: input.reference }),
        });
        const thread = ensureThread(ctx, resolved.user.id, input.agentId);
        const entry = appendEntry(ctx, thread.id, input.entry);
        return {
          duplicate: false,
          identity,
          user: resolved.user,
          created: resolved.created,
          userCreated: resolved.userCreated,
          thread,
          entry,
          hasHeld: hasHeld(ctx, resolved.user.id, input.sender.channel),
        };
      });
    },
  };
}
