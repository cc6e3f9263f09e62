import type { ChannelAdapter } from '../../adapter/contract';
import { parseMessage } from '../../components/parse';
import type { Delivery, DeliveryOrigin } from '../../store/deliveries';
import type { Identity } from '../../store/identities';
import type { RuntimeContext } from '../context';
import type { AttemptOutcome, Dispatcher } from '../outbox/dispatcher';
import { type DeliveryPayload, toStoredPayload } from '../outbox/payload';
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
  /** The identity the send policy just checked (consent, window), passed to the first attempt. */
  checkedIdentity?: Identity;
  /** The caller checked consent in this call (bulk): the first attempt need not read it again. */
  consentChecked?: boolean;
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
  const { delivery, created } = await ctx.store.deliveries.create({
    channel: input.adapter.channel,
    adapterId: input.adapter.id,
    recipient: input.address,
    payload: toStoredPayload({ ...input.payload, traceparent: ctx.telemetry.traceparent() }),
    origin: input.origin,
    agentId: ctx.agentId,
    ...(input.userId === undefined ? {} : { userId: input.userId }),
    ...(input.threadId === undefined ? {} : { threadId: input.threadId }),
    ...(input.idempotencyKey === undefined ? {} : { idempotencyKey: input.idempotencyKey }),
    ...(input.templateName === undefined ? {} : { templateName: input.templateName }),
    nextAttemptAt: input.park ? null : new Date(later ? (input.sendAt as Date).getTime() : now),
    ...(attemptNow ? { lease: { owner: ctx.instanceId, ms: ctx.options.outbox.leaseMs } } : {}),
  });
  if (!created) {
    return { delivery, created, persisted: delivery.threadId !== undefined, warnings: [] };
  }

  let persisted = false;
  const warnings: SendWarning[] = [];
  let entry: { threadId: string; seq: number } | undefined;
  // Parsed once, for the thread entry and the first attempt's envelope alike.
  const parts = input.payload.text === undefined ? undefined : parseMessage(input.payload.text);
  if (input.threadId !== undefined && input.threadText !== undefined) {
    try {
      const appended = await ctx.store.threads.append(input.threadId, {
        direction: 'outbound',
        at: new Date(now),
        text: input.threadText,
        channel: input.adapter.channel,
        adapterId: input.adapter.id,
        ...(parts === undefined ? {} : { parts }),
        ...(input.payload.media === undefined ? {} : { media: input.payload.media }),
        deliveryId: delivery.id,
        ...(input.templateName === undefined ? {} : { metadata: { template: input.templateName } }),
      });
      persisted = true;
      entry = { threadId: appended.threadId, seq: appended.seq };
    } catch (error) {
      // The message still goes out: losing the memory of it is better than not sending it.
      warnings.push({
        code: 'not_recorded',
        message: `sent but not recorded to the thread: ${error instanceof Error ? error.message : String(error)}`,
      });
      ctx.reportError(error, {
        phase: 'dispatch',
        deliveryId: delivery.id,
        threadId: input.threadId,
      });
    }
  }
  if (!attemptNow) return { delivery, created, persisted, warnings };
  const outcome = await dispatcher.attempt(delivery, {
    ...(entry === undefined ? {} : { entry }),
    ...(input.checkedIdentity === undefined
      ? {}
      : { checked: { identity: input.checkedIdentity } }),
    ...(input.consentChecked ? { consentChecked: true } : {}),
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
