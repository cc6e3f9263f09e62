import type { BatchOutcome } from '../../store/delivery-batch';
import type { AddressKey, Identity } from '../../store/identities';
import type { SendRecipient, SendRecipientInput } from '../../store/outbound';
import type { RuntimeContext } from '../context';
import { GroupCommit } from '../group-commit';

type Lookup = (input: SendRecipientInput) => Promise<SendRecipient | null>;
/** A read of one address, grouped with the others of the same tick where the store can. */
export type AddressRead<T> = (key: AddressKey) => Promise<T>;

/** One lookup per runtime, so the sends of one tick share a batch. */
const lookups = new WeakMap<RuntimeContext, Lookup>();
const optedOutReads = new WeakMap<RuntimeContext, AddressRead<boolean>>();
const identityReads = new WeakMap<RuntimeContext, AddressRead<Identity | null>>();

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

/**
 * A single read behind a {@link GroupCommit} over the store's batch read (`many`), when the store
 * has one and `outbox.groupCommitMax` allows batches; else the single read itself. A batch read
 * answers values, not outcomes: it fails as a whole or not at all.
 */
function groupedRead<T>(
  ctx: RuntimeContext,
  single: AddressRead<T>,
  many: ((keys: readonly AddressKey[]) => Promise<T[]>) | undefined,
): AddressRead<T> {
  const maxBatch = ctx.options.outbox.groupCommitMax;
  if (many === undefined || maxBatch <= 1) return single;
  const group = new GroupCommit<AddressKey, T>({
    maxBatch,
    writeMany: async (keys) =>
      (await many(keys)).map((value): BatchOutcome<T> => ({ ok: true, value })),
  });
  return (key) => group.submit(key);
}

/**
 * `store.consent.isOptedOut`, grouped with the other reads of the same tick through
 * `consent.isOptedOutMany` when the store has it: the bulk sends of one tick (a campaign runs
 * hundreds at once) read their consent in one statement instead of one each, which on
 * PostgreSQL would otherwise hold the pool's few connections (issue 17, B3).
 */
export function optedOutRead(ctx: RuntimeContext): AddressRead<boolean> {
  let read = optedOutReads.get(ctx);
  if (read === undefined) {
    const { consent } = ctx.store;
    read = groupedRead(
      ctx,
      (key) => consent.isOptedOut(key),
      consent.isOptedOutMany?.bind(consent),
    );
    optedOutReads.set(ctx, read);
  }
  return read;
}

/**
 * `store.identities.get`, grouped with the other reads of the same tick through
 * `identities.getMany` when the store has it, as {@link optedOutRead} does for consent.
 */
export function identityRead(ctx: RuntimeContext): AddressRead<Identity | null> {
  let read = identityReads.get(ctx);
  if (read === undefined) {
    const { identities } = ctx.store;
    read = groupedRead(ctx, (key) => identities.get(key), identities.getMany?.bind(identities));
    identityReads.set(ctx, read);
  }
  return read;
}
