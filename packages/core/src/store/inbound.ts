import type { JsonValue } from '../message/json';
import type { BatchOutcome } from './delivery-batch';
import type { AddressKey, Identity, IdentityKind } from './identities';
import type { NewThreadEntry, Thread, ThreadEntry } from './threads';
import type { PendingTurn } from './turns';
import type { User } from './users';

/** What {@link InboundLog.record} records: one provider message, as the core normalised it. */
export interface InboundRecordInput {
  /**
   * The dedupe key of the provider message (the core passes `inbound:<adapterId>:<providerId>`).
   * Claimed exactly as `DedupeStore.claim(claimKey, claimTtlMs)` would: the same keys, the same
   * TTL rule, so a claim made through either is seen by the other.
   */
  claimKey: string;
  /** How long the claim lives (ms, a positive number: `ValidationError` otherwise). */
  claimTtlMs: number;
  /**
   * The sender's stored (already normalised) address. Resolved exactly as
   * `IdentityStore.resolve` does: the identity, else the user who owns the contact point, else a
   * new user (with `displayName`) who gets the contact point.
   */
  sender: AddressKey & { kind: IdentityKind; displayName?: string };
  /** Becomes the identity's `lastAdapterId`. */
  adapterId: string;
  /** Replaces the identity's `reference` when given (a Teams ConversationReference…). */
  reference?: JsonValue;
  /** The thread is the user's thread with this agent, created on first use. */
  agentId: string;
  /**
   * The entry to append. `entry.at` is also the identity's new `lastInboundAt`, which only ever
   * moves forward (a late, older message never shortens the window). `direction` must be
   * `'inbound'`.
   */
  entry: NewThreadEntry;
  /**
   * Asks a store that has `turns` to enqueue the agent turn of the new entry in the same step
   * (`TurnStore.enqueue` with the thread, the entry's seq, the user, `adapterId`,
   * `sender.channel`, the identity's address, and this `owner` and `leaseMs`), so a recorded
   * message always has its turn. A store that cannot do it atomically ignores it and leaves
   * `turn` out of the result; the core then enqueues the turn itself.
   */
  turn?: { owner: string; leaseMs: number };
}

/** The message was recorded: everything the inbound pipeline needs next, without another read. */
export interface InboundRecorded {
  duplicate: false;
  /** The identity after the touch (its `lastInboundAt`, `lastAdapterId` and `reference`). */
  identity: Identity;
  user: User;
  /** Whether this call created the identity (first contact on this channel and address). */
  created: boolean;
  /** Whether this call also created the user. */
  userCreated: boolean;
  thread: Thread;
  entry: ThreadEntry;
  /**
   * Whether at least one message is held for this user on this channel (`HeldMessageStore`),
   * read in the same step: the caller runs `held.release` only when it is `true`.
   */
  hasHeld: boolean;
  /**
   * The turn enqueued in the same step when the input asked for one (`null`: a turn of this
   * entry was already pending). Absent when the store did not enqueue it.
   */
  turn?: PendingTurn | null;
}

/** The claim was live: another call recorded (or is recording) this message. Nothing changed. */
export interface InboundDuplicate {
  duplicate: true;
}

/** The result of {@link InboundLog.record}. */
export type InboundRecordResult = InboundRecorded | InboundDuplicate;

/**
 * Records an inbound message as one fact. The per-part methods (`dedupe.claim`,
 * `identities.resolve`, `identities.touch`, `threads.ensure`, `threads.append`, `held.list`) can
 * do the same in six or more round trips; this part does it in one, and all or nothing.
 *
 * A store that predates this part may leave it out: the core then records with the per-part
 * methods, which is neither atomic nor one round trip (see `recordInboundInParts`).
 */
export interface InboundLog {
  /**
   * In one atomic step: claims `claimKey`; when the claim is live (a duplicate), changes nothing
   * and resolves `{ duplicate: true }`. Otherwise resolves the sender's identity (creating the
   * identity, and the user, on first contact), touches it (`lastInboundAt` = `entry.at` if later,
   * `lastAdapterId` = `adapterId`, `reference` if given), ensures the user's thread with `agentId`,
   * appends `entry` (the next `seq`), and answers whether anything is held for the user on
   * `sender.channel`.
   *
   * Atomicity: either all of it is stored or none of it. If the call rejects, for any reason, the
   * claim is not kept, `lastInboundAt` and the rest of the identity are unchanged, no entry was
   * appended, and no identity, user or thread was left behind; a retry with the same input
   * starts from scratch. Of any number of concurrent calls with one `claimKey`, exactly one
   * records; the others resolve `{ duplicate: true }` (or, if the winner fails, one of the later
   * retries records). Bad input (a TTL that is not a positive number, an invalid date, a value
   * that is not JSON) is a rejection of this kind too.
   *
   * Round trips: a server-backed store should need one for a known sender and at most two for a
   * first contact (PostgreSQL: one function call).
   *
   * @example
   * ```ts
   * const result = await store.inbound.record({
   *   claimKey: 'inbound:wa:wamid.HBgL…', claimTtlMs: 600_000,
   *   sender: { channel: 'whatsapp', address: '+447700900123', kind: 'phone', displayName: 'Ann' },
   *   adapterId: 'wa', agentId: 'support',
   *   entry: { direction: 'inbound', at: new Date(), text: 'hi', channel: 'whatsapp', adapterId: 'wa' },
   * });
   * if (!result.duplicate && result.hasHeld) await store.held.release({ userId: result.user.id, channel: 'whatsapp' });
   * ```
   */
  record(input: InboundRecordInput): Promise<InboundRecordResult>;
  /**
   * Optional: records several inbound messages as one batch (group commit: the core records the
   * webhooks that reach this step in one tick together). Each input is handled exactly as
   * `record` would handle it alone, one after another in input order: a repeat of an earlier
   * input's `claimKey` is a duplicate, a second message of a new sender finds the identity the
   * first created, and inputs for one thread take consecutive seqs in input order. The answer has
   * one outcome per input, in input order; an input `record` would reject is an `ok: false`
   * outcome and writes nothing of its own.
   *
   * All or nothing per input, never half of one: when the batch fails as a whole the call rejects
   * and none of it is written, or the store records each input on its own instead (a batch that
   * one input spoiled) and answers each outcome. A server-backed store should need one round
   * trip per batch. Without it the core records each message with `record`.
   *
   * @example
   * ```ts
   * const [first, second] = await store.inbound.recordMany([fromAnn, fromBob]);
   * if (first?.ok && !first.value.duplicate) first.value.entry.seq;
   * ```
   */
  recordMany?(inputs: readonly InboundRecordInput[]): Promise<BatchOutcome<InboundRecordResult>[]>;
}
