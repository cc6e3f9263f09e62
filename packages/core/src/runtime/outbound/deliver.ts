import type { ChannelAdapter } from '../../adapter/contract';
import { parseMessage } from '../../components/parse';
import type { MessagePart } from '../../components/parts';
import { NotFoundError } from '../../errors/policy';
import type { Delivery, DeliveryOrigin, NewDelivery } from '../../store/deliveries';
import type { DeliveryCreated } from '../../store/delivery-batch';
import type { Identity } from '../../store/identities';
import type { NewThreadEntry } from '../../store/threads';
import type { RuntimeContext } from '../context';
import type { AttemptOutcome, Dispatcher } from '../outbox/dispatcher';
import { type DeliveryPayload, toStoredPayload } from '../outbox/payload';
import type { AdmissionPlace } from './admission';
import { type SendOutput, type SendWarning, toSendOutput } from './result';

/** A resolved, policy-checked message ready for the outbox. */
export interface DeliverInput {
  adapter: ChannelAdapter;
  /** The channel-native address. */
  address: string;
  /** The user it is for; absent for a bulk send that records no thread. */
  userId?: string;
  payload: DeliveryPayload;
  origin: DeliveryOrigin;
  /** The thread to record to; absent for sends that are not persisted (group conversations). */
  threadId?: string;
  /** The text recorded to the thread; absent to record nothing now (held until release). */
  threadText?: string;
  idempotencyKey?: string;
  templateName?: string;
  /** Later than now: the outbox sends it then. */
  sendAt?: Date;
  /** Park it behind a closed window (the caller records the hold). */
  park?: boolean;
  /**
   * The identity the caller just read, with consent checked, in this call (the send policy, a
   * bulk send), passed to the first attempt; `null` when the address has none.
   */
  checkedIdentity?: Identity | null;
  /** Given back once the delivery is written: the attempt waits outside the admission gate. */
  admission?: AdmissionPlace;
}

/** What {@link deliver} did: the delivery as it stands, and what the caller needs to report it. */
export interface Delivered {
  delivery: Delivery;
  /** False when an idempotency key matched an earlier delivery (nothing new was written or sent). */
  created: boolean;
  /** The first attempt's outcome, when one was made. */
  outcome?: AttemptOutcome;
  persisted: boolean;
  warnings: SendWarning[];
}

/** The send result of what {@link deliver} did (throws for a delivery that failed for good). */
export function outputOf(delivered: Delivered): SendOutput {
  const { outcome } = delivered;
  return toSendOutput(outcome?.delivery ?? delivered.delivery, {
    persisted: delivered.persisted,
    warnings: delivered.warnings,
    ...(outcome?.held ? { held: true } : {}),
    ...(outcome?.providerMessageId === undefined ? {} : { messageId: outcome.providerMessageId }),
  });
}

/** The thread entry recording the message, when it is recorded now (not held for later). */
function threadEntryOf(
  input: DeliverInput,
  now: number,
  parts: MessagePart[] | undefined,
): Omit<NewThreadEntry, 'deliveryId'> | undefined {
  if (input.threadId === undefined || input.threadText === undefined) return undefined;
  const entry: Omit<NewThreadEntry, 'deliveryId'> = {
    direction: 'outbound',
    at: new Date(now),
    text: input.threadText,
    channel: input.adapter.channel,
    adapterId: input.adapter.id,
  };
  if (parts !== undefined) entry.parts = parts;
  if (input.payload.media !== undefined) entry.media = input.payload.media;
  if (input.templateName !== undefined) entry.metadata = { template: input.templateName };
  return entry;
}

/**
 * The delivery to create. Optional fields are set one by one, in the order the stores list them,
 * rather than spread in: every send builds one, and a conditional spread allocates an object and
 * copies it each time (bench B5: a host sending to thousands of users at once).
 */
function newDeliveryOf(
  ctx: RuntimeContext,
  input: DeliverInput,
  now: number,
  attemptNow: boolean,
): NewDelivery {
  const later = input.sendAt !== undefined && input.sendAt.getTime() > now;
  const delivery: NewDelivery = {
    channel: input.adapter.channel,
    adapterId: input.adapter.id,
    recipient: input.address,
    payload: toStoredPayload(input.payload, ctx.telemetry.traceparent()),
    origin: input.origin,
    agentId: ctx.agentId,
  } as NewDelivery;
  if (input.userId !== undefined) delivery.userId = input.userId;
  if (input.threadId !== undefined) delivery.threadId = input.threadId;
  if (input.idempotencyKey !== undefined) delivery.idempotencyKey = input.idempotencyKey;
  if (input.templateName !== undefined) delivery.templateName = input.templateName;
  delivery.nextAttemptAt = input.park
    ? null
    : new Date(later ? (input.sendAt as Date).getTime() : now);
  if (attemptNow) delivery.lease = { owner: ctx.instanceId, ms: ctx.options.outbox.leaseMs };
  return delivery;
}

/** Warns that the message goes out without its thread entry, and reports why. */
function notRecorded(
  ctx: RuntimeContext,
  warnings: SendWarning[],
  error: unknown,
  threadId: string | undefined,
  deliveryId?: string,
): void {
  warnings.push({
    code: 'not_recorded',
    message: `sent but not recorded to the thread: ${error instanceof Error ? error.message : String(error)}`,
  });
  ctx.reportError(error, {
    phase: 'dispatch',
    ...(deliveryId === undefined ? {} : { deliveryId }),
    ...(threadId === undefined ? {} : { threadId }),
  });
}

/**
 * Writes the delivery and its thread entry durably, then (unless it is parked or scheduled)
 * makes the first attempt while the caller waits. The delivery is created leased to this
 * instance, so if the process dies before or during the attempt, another instance takes it over
 * once the lease expires: nothing written is lost.
 */
export async function deliver(
  ctx: RuntimeContext,
  dispatcher: Dispatcher,
  input: DeliverInput,
): Promise<Delivered> {
  const now = ctx.clock.now();
  const later = input.sendAt !== undefined && input.sendAt.getTime() > now;
  const attemptNow = !input.park && !later;
  // Parsed once, for the thread entry and the first attempt's envelope alike.
  const parts = input.payload.text === undefined ? undefined : parseMessage(input.payload.text);
  const newDelivery = newDeliveryOf(ctx, input, now, attemptNow);
  const threadEntry = threadEntryOf(input, now, parts);
  const warnings: SendWarning[] = [];
  let made: DeliveryCreated;
  let entryFailed = false;
  try {
    // One commit for the delivery and its entry where the store can (DESIGN §3, "one commit per
    // fact"): a crash can no longer leave a message sent that its thread never shows. Written
    // with the other sends of this tick where the store has `createMany` (group commit). The
    // store copies what it is given, so the entry is set on the input rather than spread into a
    // second copy of it.
    if (threadEntry !== undefined) newDelivery.threadEntry = threadEntry;
    made = await dispatcher.writes.create(newDelivery);
  } catch (error) {
    // The thread is gone (merged away): nothing was written. The message still goes out, as
    // when a separate append fails: losing the memory of it is better than not sending it.
    if (threadEntry === undefined || !(error instanceof NotFoundError)) throw error;
    notRecorded(ctx, warnings, error, input.threadId);
    entryFailed = true;
    delete newDelivery.threadEntry;
    made = await dispatcher.writes.create(newDelivery);
  } finally {
    // Written (or failed): what is left waits on rate slots and providers, outside the gate.
    input.admission?.release();
  }
  const { delivery, created } = made;
  if (!created) {
    return { delivery, created, persisted: delivery.threadId !== undefined, warnings: [] };
  }

  let persisted = made.entry !== undefined;
  let entry: { threadId: string; seq: number } | undefined =
    made.entry === undefined ? undefined : { threadId: made.entry.threadId, seq: made.entry.seq };
  // A store that does not write `threadEntry` with the delivery: the entry follows it.
  if (threadEntry !== undefined && !persisted && !entryFailed) {
    try {
      const appended = await ctx.store.threads.append(input.threadId as string, {
        ...threadEntry,
        deliveryId: delivery.id,
      });
      persisted = true;
      entry = { threadId: appended.threadId, seq: appended.seq };
    } catch (error) {
      notRecorded(ctx, warnings, error, input.threadId, delivery.id);
    }
  }
  if (!attemptNow) return { delivery, created, persisted, warnings };
  const outcome = await dispatcher.attempt(delivery, {
    ...(entry === undefined ? {} : { entry }),
    ...(input.checkedIdentity === undefined
      ? {}
      : { checked: { identity: input.checkedIdentity } }),
    ...(parts === undefined ? {} : { parts }),
  });
  return {
    delivery: outcome.delivery,
    created,
    outcome,
    persisted,
    warnings: [...warnings, ...(outcome.warnings ?? [])],
  };
}
