import type { SendRecipient, SendRecipientInput } from '../../store/outbound';
import type { RuntimeContext } from '../context';
import { GroupCommit } from '../group-commit';

type Lookup = (input: SendRecipientInput) => Promise<SendRecipient | null>;

/** One lookup per runtime, so the sends of one tick share a batch. */
const lookups = new WeakMap<RuntimeContext, Lookup>();

/**
 * `store.outbound.recipient` for a send, grouped with the other sends of the same tick through
 * `outbound.recipientMany` when the store has it (one statement for a burst instead of one each,
 * like the outbox's creates and completes); `undefined` when the store has no `outbound` part.
 * `outbox.groupCommitMax: 1` turns the grouping off here too.
 */
export function recipientLookup(ctx: RuntimeContext): Lookup | undefined {
  const { outbound } = ctx.store;
  if (outbound === undefined) return undefined;
  let lookup = lookups.get(ctx);
  if (lookup === undefined) {
    const maxBatch = ctx.options.outbox.groupCommitMax;
    const recipientMany = maxBatch > 1 ? outbound.recipientMany?.bind(outbound) : undefined;
    const group = recipientMany && new GroupCommit({ maxBatch, writeMany: recipientMany });
    lookup = group ? (input) => group.submit(input) : (input) => outbound.recipient(input);
    lookups.set(ctx, lookup);
  }
  return lookup;
}
