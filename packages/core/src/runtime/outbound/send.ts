import type { JsonObject } from '../../message/json';
import type { Delivery, DeliveryOrigin } from '../../store/deliveries';
import type { Thread } from '../../store/threads';
import type { RuntimeContext } from '../context';
import type { Dispatcher } from '../outbox/dispatcher';
import type { DeliveryPayload } from '../outbox/payload';
import type { AdmissionPlace } from './admission';
import { type DeliverInput, deliver, outputOf } from './deliver';
import { sendReEngagement } from './hold';
import { checkUsMarketing, type MarketingToUsNumberBehaviour } from './marketing';
import { checkSendPolicy, decideSendPolicy, type SendPolicyInput } from './policy';
import { type ResolvedRecipient, resolveRecipient } from './recipient';
import { type SendOutput, type SendWarning, toSendOutput } from './result';
import type { RecipientInput } from './schemas';
import { collectText, deliverStream } from './stream';
import type { ClosedWindowBehaviour } from './types';

/** Options after validation, as every outbound surface passes them here. */
export interface ResolvedSendOptions {
  /** Internal callers (replies, `users.send`) pin the sender here; the public surfaces use `from`. */
  channelIdentifier?: string;
  onClosedWindow?: ClosedWindowBehaviour;
  onMarketingToUsNumber?: MarketingToUsNumberBehaviour;
  idempotencyKey?: string;
  sendAt?: Date;
  replyTo?: string;
  tag?: string;
  /** Per-channel options keyed by channel name (`whatsapp: { onClosedWindow }`). */
  [channel: string]: unknown;
}

/** One validated send, from any surface (`channels.send`, templates, email, `reply`, `user.send`). */
export interface SendRequest {
  channel: string;
  to: RecipientInput;
  /** The sending adapter's id; else the recipient's last one, else the channel's first. */
  from?: string;
  payload: DeliveryPayload;
  origin: DeliveryOrigin;
  kind: 'free-form' | 'template';
  /** Text still being generated; streamed where the channel can show it, collected otherwise. */
  stream?: AsyncIterable<string>;
  /**
   * Internal: the idempotency key cannot have been used yet (a turn's first try of a reply), so
   * the up-front lookup is skipped; `deliveries.create` still deduplicates by the key.
   */
  freshIdempotencyKey?: boolean;
  /**
   * Internal: this call repeats one of this instance's own tries that failed on a store blip. A
   * delivery found by the key, still queued and leased to this instance, is that try's write that
   * landed although its answer was lost: nobody else attempts it before its lease runs out, so it
   * is attempted now.
   */
  resumeOwnDelivery?: boolean;
  /** Internal: the exact address to answer (a reply), instead of the user's latest on the channel. */
  exactAddress?: string;
  /** What the thread records; defaults to the payload's text. */
  threadText?: string;
  templateName?: string;
  options?: ResolvedSendOptions;
  /** The send's place in the pipeline (see `SendAdmission`): given back once its delivery is written. */
  admission?: AdmissionPlace;
}

function closedWindowBehaviour(
  channel: string,
  options: ResolvedSendOptions | undefined,
): ClosedWindowBehaviour {
  const perChannel = options?.[channel] as JsonObject | undefined;
  const specific = perChannel?.onClosedWindow;
  if (specific === 'queue' || specific === 'fail') return specific;
  return options?.onClosedWindow ?? 'queue';
}

const isFinal = (delivery: Delivery) =>
  delivery.status === 'failed' || delivery.status === 'expired';

/** Queued, due, and leased to this instance by a create whose first attempt never ran. */
function ownUnattempted(ctx: RuntimeContext, delivery: Delivery): boolean {
  return (
    delivery.status === 'queued' &&
    delivery.lease?.owner === ctx.instanceId &&
    delivery.lease.expiresAt.getTime() > ctx.clock.now() &&
    delivery.nextAttemptAt !== null &&
    delivery.nextAttemptAt.getTime() <= ctx.clock.now()
  );
}

/**
 * The outbound pipeline: idempotency → recipient and sender → policy → durable delivery and
 * thread entry → first attempt. Throws the policy's errors (`OptedOutError`, `NotReachableError`,
 * `WindowClosedError`) before anything is written, and a permanent `DeliveryError` (with its
 * `deliveryId`) after the first attempt fails for good.
 */
export async function sendMessage(
  ctx: RuntimeContext,
  dispatcher: Dispatcher,
  request: SendRequest,
): Promise<SendOutput> {
  const options = request.options ?? {};
  if (options.idempotencyKey !== undefined && request.freshIdempotencyKey !== true) {
    const existing = await ctx.store.deliveries.getByIdempotencyKey(options.idempotencyKey);
    if (existing && request.resumeOwnDelivery === true && ownUnattempted(ctx, existing)) {
      const outcome = await dispatcher.attempt(existing);
      if (outcome.error !== undefined && isFinal(outcome.delivery)) throw outcome.error;
      const persisted = existing.threadId !== undefined;
      return outputOf({ delivery: existing, created: true, outcome, persisted, warnings: [] });
    }
    if (existing) return toSendOutput(existing, { persisted: existing.threadId !== undefined });
  }
  const from = request.from ?? options.channelIdentifier;
  const recipient = await resolveRecipient(ctx, {
    channel: request.channel,
    to: request.to,
    channelIdentifier: from,
    exactAddress: request.exactAddress,
  });
  const marketing =
    request.payload.template === undefined
      ? []
      : checkUsMarketing({
          template: request.payload.template,
          address: recipient.address,
          channel: request.channel,
          behaviour: options.onMarketingToUsNumber,
        });
  const onClosedWindow = closedWindowBehaviour(request.channel, options);
  const policy: SendPolicyInput = {
    adapter: recipient.adapter,
    identity: recipient.identity,
    kind: request.kind,
    onClosedWindow,
  };
  if (options.tag !== undefined) policy.tag = options.tag;
  // Consent came with the recipient on stores with `outbound`: then nothing is awaited here.
  const decision =
    recipient.optedOut === undefined
      ? await checkSendPolicy(ctx, policy)
      : decideSendPolicy(ctx, policy, recipient.optedOut);
  if (request.stream !== undefined) {
    const { stream, ...rest } = request;
    if (
      recipient.adapter.capabilities.features.streaming &&
      decision.action === 'send' &&
      decision.tag === undefined &&
      options.sendAt === undefined
    ) {
      const threadId = recipient.persisted ? (await threadOf(ctx, recipient)).id : undefined;
      const streamed = await deliverStream(ctx, dispatcher, {
        adapter: recipient.adapter,
        address: recipient.address,
        userId: recipient.userId,
        ...(threadId === undefined ? {} : { threadId }),
        payload: { ...request.payload, onClosedWindow },
        origin: request.origin,
        stream,
        ...(options.idempotencyKey === undefined ? {} : { idempotencyKey: options.idempotencyKey }),
      });
      if ('output' in streamed) return streamed.output;
      // The stream failed on the way out: send the finished text the ordinary way, with retries.
      const { idempotencyKey: _used, ...retryOptions } = options;
      const fallback = await sendMessage(ctx, dispatcher, {
        ...rest,
        payload: { ...request.payload, text: streamed.fallbackText },
        from: recipient.adapter.id,
        options: retryOptions,
        exactAddress: recipient.address,
      });
      return withWarnings(fallback, [
        {
          code: 'streaming_fallback',
          message: `streaming failed (${streamed.failedDeliveryId}); sent as one message`,
        },
      ]);
    }
    return sendMessage(ctx, dispatcher, {
      ...rest,
      payload: { ...request.payload, text: await collectText(stream) },
    });
  }
  // The thread read with the recipient, else ensured now (awaited only then).
  const thread = recipient.persisted
    ? (recipient.thread ?? (await threadOf(ctx, recipient)))
    : undefined;
  const threadText = request.threadText ?? request.payload.text ?? '';
  const hold = decision.action === 'hold';
  const payload: DeliveryPayload = { ...request.payload };
  if (options.replyTo !== undefined) payload.replyTo = options.replyTo;
  if (decision.tag !== undefined) payload.tag = decision.tag;
  payload.onClosedWindow = onClosedWindow;
  if (hold) {
    payload.held = true;
    payload.threadText = threadText;
  }
  // Optional fields set one by one rather than spread in: every send builds this (bench B5).
  const input: DeliverInput = {
    adapter: recipient.adapter,
    address: recipient.address,
    userId: recipient.userId,
    payload,
    origin: request.origin,
    park: hold,
  };
  if (thread !== undefined) input.threadId = thread.id;
  // A held message is recorded when it is released, in the order the user sees it.
  if (!hold) input.threadText = threadText;
  if (options.idempotencyKey !== undefined) input.idempotencyKey = options.idempotencyKey;
  if (request.templateName !== undefined) input.templateName = request.templateName;
  if (options.sendAt !== undefined) input.sendAt = options.sendAt;
  if (decision.action === 'send') input.checkedIdentity = recipient.identity;
  if (request.admission !== undefined) input.admission = request.admission;
  const delivered = await deliver(ctx, dispatcher, input);
  if (!delivered.created) return outputOf(delivered);
  const { outcome } = delivered;
  if (hold) {
    await ctx.store.held.hold({
      userId: recipient.userId,
      channel: request.channel,
      deliveryId: delivered.delivery.id,
      heldAt: new Date(ctx.clock.now()),
    });
    ctx.telemetry.count('threadline.window.holds', { 'threadline.channel': request.channel });
    const warnings = await sendReEngagement(ctx, dispatcher, {
      adapter: recipient.adapter,
      identity: recipient.identity,
      ...(thread === undefined ? {} : { threadId: thread.id }),
    });
    return toSendOutput(delivered.delivery, {
      held: true,
      persisted: false,
      warnings: [...delivered.warnings, ...warnings],
    });
  }
  if (outcome?.error !== undefined && isFinal(outcome.delivery)) throw outcome.error;
  const output = withWarnings(outputOf(delivered), marketing);
  if (output.outcome === 'queued' && outcome?.error !== undefined) {
    const failure = outcome.delivery.error;
    return withWarnings(output, [
      {
        code: 'retrying',
        message: `first attempt failed (${failure?.code ?? 'error'}); retrying at ${output.retryAt.toISOString()}`,
      },
    ]);
  }
  return output;
}

/** The recipient's thread: the one read with the identity, else ensured now (created on first use). */
async function threadOf(ctx: RuntimeContext, recipient: ResolvedRecipient): Promise<Thread> {
  return (
    recipient.thread ??
    (await ctx.store.threads.ensure({ userId: recipient.userId, agentId: ctx.agentId }))
  );
}

/** The same result with more warnings (and the deprecated joined `warning` kept in step). */
export function withWarnings(output: SendOutput, more: readonly SendWarning[]): SendOutput {
  if (more.length === 0) return output;
  const warnings = [...more, ...output.warnings];
  return { ...output, warnings, warning: warnings.map((warning) => warning.message).join('; ') };
}
