import type { ChannelAdapter } from '../../../adapter/contract';
import type { TemplateMessage } from '../../../message/outbound';
import type { Delivery } from '../../../store/deliveries';
import type { Identity } from '../../../store/identities';
import type { RuntimeContext } from '../../context';
import type { Dispatcher } from '../../outbox/dispatcher';
import { toDeliveryFailure } from '../../outbox/failure';
import { deliver } from '../deliver';
import { identityRead, optedOutRead } from '../lookups';
import { checkUsMarketing, type MarketingToUsNumberBehaviour } from '../marketing';
import type { BulkOutcome } from './types';

/** What every number of one bulk send shares. */
export interface BulkSend {
  adapter: ChannelAdapter;
  template: TemplateMessage;
  messageContext?: string;
  /** Makes each number's delivery idempotent (see {@link bulkIdempotencyKey}). */
  campaignKey?: string;
  onMarketingToUsNumber: MarketingToUsNumberBehaviour;
}

/**
 * The idempotency key of one number's delivery in a campaign: the same sender, campaign and
 * (normalised) number always give the same key, so a repeated call never sends twice to a number.
 */
export function bulkIdempotencyKey(adapterId: string, campaignKey: string, phone: string): string {
  return `bulk:${adapterId}:${campaignKey}:${phone}`;
}

/** A number an earlier call of the same campaign created a delivery for: reported, not sent. */
function earlierOutcome(phoneNumber: string, earlier: Delivery): BulkOutcome {
  if (earlier.status === 'failed' || earlier.status === 'expired') {
    return {
      ok: false,
      phoneNumber,
      code: earlier.error?.code ?? earlier.status,
      category: earlier.error?.category ?? 'provider',
      message: earlier.error?.message ?? `the earlier delivery ${earlier.status}`,
      deliveryId: earlier.id,
      alreadySent: true,
    };
  }
  return {
    ok: true,
    phoneNumber,
    deliveryId: earlier.id,
    status: earlier.status,
    ...(earlier.providerMessageId === undefined ? {} : { messageId: earlier.providerMessageId }),
    alreadySent: true,
  };
}

/**
 * Sends the template to one (normalised) number as an ordinary outbox delivery, so receipts
 * update it and a retryable failure is retried in the background. Throws only for what the
 * caller records against the number (a store failure, `MarketingToUsNumberError` with `fail`).
 */
export async function sendOne(
  ctx: RuntimeContext,
  dispatcher: Dispatcher,
  send: BulkSend,
  phoneNumber: string,
): Promise<BulkOutcome> {
  const { adapter, template } = send;
  const key = { channel: adapter.channel, address: phoneNumber };
  const idempotencyKey =
    send.campaignKey === undefined
      ? undefined
      : bulkIdempotencyKey(adapter.id, send.campaignKey, phoneNumber);
  if (idempotencyKey !== undefined) {
    // Looked up first: a number sent before is reported as such even if it opted out since,
    // and costs no identity or thread work.
    const earlier = await ctx.store.deliveries.getByIdempotencyKey(idempotencyKey);
    if (earlier) return earlierOutcome(phoneNumber, earlier);
  }
  // Consent and the identity, each read with the other numbers of this tick (one statement per
  // batch on a server rather than one per number: issue 17, B3). A send that records to the
  // thread resolves the identity below instead, and never for an opted-out number.
  const [optedOut, known] = await Promise.all([
    optedOutRead(ctx)(key),
    send.messageContext === undefined ? identityRead(ctx)(key) : undefined,
  ]);
  if (optedOut) {
    return {
      ok: false,
      phoneNumber,
      code: 'opted_out',
      category: 'opted_out',
      message: `${phoneNumber} opted out of ${adapter.channel}`,
    };
  }
  const warnings = checkUsMarketing({
    template,
    address: phoneNumber,
    channel: adapter.channel,
    behaviour: send.onMarketingToUsNumber,
  });
  let userId: string | undefined;
  let threadId: string | undefined;
  let identity: Identity | null = known ?? null;
  if (send.messageContext !== undefined) {
    const resolved = await ctx.store.identities.resolve({
      ...key,
      kind: adapter.capabilities.reach.identity,
    });
    identity = resolved.identity;
    userId = resolved.user.id;
    threadId = (await ctx.store.threads.ensure({ userId, agentId: ctx.agentId })).id;
  }
  const { delivery, created, outcome } = await deliver(ctx, dispatcher, {
    adapter,
    address: phoneNumber,
    ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
    ...(userId === undefined ? {} : { userId }),
    payload: { template, onClosedWindow: 'fail' },
    origin: 'bulk',
    templateName: template.name,
    // Checked just now, with consent: the first attempt reads neither again (`null` included).
    checkedIdentity: identity,
    ...(threadId === undefined ? {} : { threadId, threadText: send.messageContext }),
  });
  // Another call of the same campaign created it between the look-up and now.
  if (!created) return earlierOutcome(phoneNumber, delivery);
  if (outcome?.delivery.status === 'failed') {
    const failure = outcome.delivery.error ?? toDeliveryFailure(outcome.error);
    return {
      ok: false,
      phoneNumber,
      code: failure.code,
      category: failure.category,
      message: failure.message,
      deliveryId: delivery.id,
    };
  }
  return {
    ok: true,
    phoneNumber,
    deliveryId: delivery.id,
    status: delivery.status,
    ...(delivery.providerMessageId === undefined ? {} : { messageId: delivery.providerMessageId }),
    ...(warnings.length === 0 ? {} : { warnings }),
  };
}
