import type { Identity, OutboundLookup, SendRecipient, SendRecipientInput } from '@threadline/core';
import { copy } from './copy';
import { settleEach } from './delivery-batch';
import { resolveIdentity } from './identities';
import { addressKey, type MemoryState, pairKey } from './state';

/**
 * A send's recipient, consent and thread in one synchronous step: the same answers as
 * `identities.resolve` (or `get`), `consent.isOptedOut` and a thread lookup, made together so
 * nothing can change between them. `recipientMany` makes every lookup in one synchronous step, in
 * input order.
 *
 * @example
 * ```ts
 * const found = await store.outbound.recipient({ channel: 'sms', address: '+447700900123',
 *   agentId: 'support', create: { kind: 'phone' } });
 * ```
 */
export function createOutboundLookup(state: MemoryState): OutboundLookup {
  /** One lookup, as one synchronous step. */
  function recipientNow(input: SendRecipientInput): SendRecipient | null {
    const { channel, address, agentId } = input;
    const key = addressKey(channel, address);
    const identity: Identity | undefined =
      input.create === undefined
        ? state.identities.get(key)
        : resolveIdentity(state, { channel, address, kind: input.create.kind }).identity;
    if (identity === undefined) return null;
    const threadId = state.threadByPair.get(pairKey(identity.userId, agentId));
    const thread = threadId === undefined ? undefined : state.threads.get(threadId);
    return {
      identity: copy(identity),
      optedOut: state.consent.get(key)?.status === 'opted-out',
      thread: thread === undefined ? null : copy(thread),
    };
  }

  return {
    async recipient(input) {
      return recipientNow(input);
    },
    recipientMany: async (inputs) => settleEach(inputs, recipientNow),
  };
}
