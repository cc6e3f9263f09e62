import {
  checkDuration,
  checkInboundRecord,
  type InboundLog,
  type InboundRecorded,
  type ThreadEntry,
} from '@threadline/core';
import { copy } from './copy';
import type { Claims } from './dedupe';
import { settle } from './delivery-batch';
import { heldOf } from './held';
import { resolveIdentity, touchIdentity } from './identities';
import type { MemoryState } from './state';
import { appendEntry, ensureThread } from './threads';
import type { MemoryTurnStore } from './turns';

/**
 * `inbound.record` in one synchronous step: the input is checked and copied first (the only parts
 * that can throw), then the claim, identity, touch, thread, entry and the held-message answer are
 * written and read without an await in between. So a rejected call changed nothing, and no other
 * call can see (or interleave with) half of one. `recordMany` makes every `record` call of the
 * batch before it awaits any: each runs to its end in input order, as calls one after another
 * would, and an input that throws fails alone.
 *
 * @example
 * ```ts
 * const result = await store.inbound.record({ claimKey, claimTtlMs, sender, adapterId, agentId, entry });
 * if (!result.duplicate && result.hasHeld) await store.held.release({ userId: result.user.id, channel });
 * ```
 */
export function createInboundLog(
  state: MemoryState,
  claims: Claims,
  turns?: Pick<MemoryTurnStore, 'enqueueNow'>,
): InboundLog {
  const log: InboundLog = {
    async record(input) {
      checkInboundRecord(input);
      if (input.turn !== undefined) checkDuration(input.turn.leaseMs, 'turn.leaseMs', 'lease');
      const entry = copy(input.entry);
      const reference = input.reference === undefined ? undefined : copy(input.reference);
      if (claims.isLive(input.claimKey)) return { duplicate: true };

      claims.take(input.claimKey, input.claimTtlMs);
      const resolved = resolveIdentity(state, input.sender);
      touchIdentity(resolved.identity, {
        inboundAt: entry.at,
        adapterId: input.adapterId,
        ...(reference === undefined ? {} : { reference }),
      });
      const thread = ensureThread(state, resolved.user.id, input.agentId);
      const stored = appendEntry(
        // ensureThread gives every thread its entry list.
        state.entries.get(thread.id) as ThreadEntry[],
        thread.id,
        entry,
      );
      const hasHeld = heldOf(state, resolved.user.id).some(
        (message) => message.channel === input.sender.channel,
      );
      const result: InboundRecorded = {
        duplicate: false,
        ...resolved,
        thread,
        entry: stored,
        hasHeld,
      };
      if (input.turn !== undefined && turns !== undefined) {
        // Checked above, so this cannot throw half-way through the record.
        result.turn = turns.enqueueNow({
          threadId: thread.id,
          seq: stored.seq,
          userId: resolved.user.id,
          adapterId: input.adapterId,
          channel: input.sender.channel,
          address: resolved.identity.address,
          owner: input.turn.owner,
          leaseMs: input.turn.leaseMs,
        });
      }
      return copy(result);
    },
    recordMany: (inputs) => settle(inputs.map((input) => log.record(input))),
  };
  return log;
}
