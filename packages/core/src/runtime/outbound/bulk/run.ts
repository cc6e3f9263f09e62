import type { ChannelAdapter } from '../../../adapter/contract';
import type { TemplateMessage } from '../../../message/outbound';
import type { Delivery } from '../../../store/deliveries';
import type { RuntimeContext } from '../../context';
import type { Dispatcher } from '../../outbox/dispatcher';
import { toDeliveryFailure } from '../../outbox/failure';
import { deliver } from '../deliver';
import { checkUsMarketing, type MarketingToUsNumberBehaviour } from '../marketing';
import type { RecipientPlan } from './recipients';
import type { BulkError, BulkProgress, BulkResult, BulkSummary } from './types';

/** Progress is reported at most this often, so 100,000 numbers do not mean 100,000 callbacks. */
const PROGRESS_INTERVAL_MS = 250;

interface BulkRun {
  adapter: ChannelAdapter;
  template: TemplateMessage;
  plan: RecipientPlan;
  messageContext?: string;
  /** Makes each number's delivery idempotent (see {@link bulkIdempotencyKey}). */
  campaignKey?: string;
  concurrency: number;
  onProgress?: (progress: BulkProgress) => void;
  onMarketingToUsNumber: MarketingToUsNumberBehaviour;
}

/**
 * The idempotency key of one number's delivery in a campaign: the same sender, campaign and
 * (normalised) number always give the same key, so a repeated call never sends twice to a number.
 */
export function bulkIdempotencyKey(adapterId: string, campaignKey: string, phone: string): string {
  return `bulk:${adapterId}:${campaignKey}:${phone}`;
}

/**
 * Sends the template to every planned number with a pool of `concurrency` workers. Each send is an
 * ordinary outbox delivery (so receipts update it and a retryable failure is retried in the
 * background), paced by the dispatcher's per-sender pacer: the rate holds however many workers run.
 */
export async function runBulk(
  ctx: RuntimeContext,
  dispatcher: Dispatcher,
  run: BulkRun,
): Promise<BulkSummary> {
  const { adapter, template, plan } = run;
  const results: BulkResult[] = [];
  const errors: BulkError[] = [...plan.invalid];
  let alreadySent = 0;
  const total = plan.numbers.length + plan.invalid.length;
  let processed = plan.invalid.length;
  let lastReport = 0;
  const report = (force: boolean) => {
    if (!run.onProgress) return;
    const now = performance.now();
    if (!force && now - lastReport < PROGRESS_INTERVAL_MS) return;
    lastReport = now;
    run.onProgress({ total, processed, succeeded: results.length, failed: errors.length });
  };

  /** A number an earlier call of the same campaign created a delivery for: reported, not sent. */
  const reportEarlier = (phoneNumber: string, earlier: Delivery): void => {
    alreadySent += 1;
    if (earlier.status === 'failed' || earlier.status === 'expired') {
      errors.push({
        phoneNumber,
        code: earlier.error?.code ?? earlier.status,
        category: earlier.error?.category ?? 'provider',
        message: earlier.error?.message ?? `the earlier delivery ${earlier.status}`,
        deliveryId: earlier.id,
        alreadySent: true,
      });
      return;
    }
    results.push({
      phoneNumber,
      deliveryId: earlier.id,
      status: earlier.status,
      ...(earlier.providerMessageId === undefined ? {} : { messageId: earlier.providerMessageId }),
      alreadySent: true,
    });
  };

  const sendOne = async (phoneNumber: string): Promise<void> => {
    const key = { channel: adapter.channel, address: phoneNumber };
    const idempotencyKey =
      run.campaignKey === undefined
        ? undefined
        : bulkIdempotencyKey(adapter.id, run.campaignKey, phoneNumber);
    if (idempotencyKey !== undefined) {
      // Looked up first: a number sent before is reported as such even if it opted out since,
      // and costs no identity or thread work.
      const earlier = await ctx.store.deliveries.getByIdempotencyKey(idempotencyKey);
      if (earlier) return reportEarlier(phoneNumber, earlier);
    }
    if (await ctx.store.consent.isOptedOut(key)) {
      errors.push({
        phoneNumber,
        code: 'opted_out',
        category: 'opted_out',
        message: `${phoneNumber} opted out of ${adapter.channel}`,
      });
      return;
    }
    // Throws MarketingToUsNumberError with `fail`: the worker records it against this number.
    const warnings = checkUsMarketing({
      template,
      address: phoneNumber,
      channel: adapter.channel,
      behaviour: run.onMarketingToUsNumber,
    });
    let userId: string | undefined;
    let threadId: string | undefined;
    if (run.messageContext !== undefined) {
      const { user } = await ctx.store.identities.resolve({
        ...key,
        kind: adapter.capabilities.reach.identity,
      });
      userId = user.id;
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
      consentChecked: true,
      ...(threadId === undefined ? {} : { threadId, threadText: run.messageContext }),
    });
    // Another call of the same campaign created it between the look-up and now.
    if (!created) return reportEarlier(phoneNumber, delivery);
    if (outcome?.delivery.status === 'failed') {
      const failure = outcome.delivery.error ?? toDeliveryFailure(outcome.error);
      errors.push({
        phoneNumber,
        code: failure.code,
        category: failure.category,
        message: failure.message,
        deliveryId: delivery.id,
      });
      return;
    }
    results.push({
      phoneNumber,
      deliveryId: delivery.id,
      status: delivery.status,
      ...(delivery.providerMessageId === undefined
        ? {}
        : { messageId: delivery.providerMessageId }),
      ...(warnings.length === 0 ? {} : { warnings }),
    });
  };

  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < plan.numbers.length) {
      const phoneNumber = plan.numbers[next++] as string;
      try {
        await sendOne(phoneNumber);
      } catch (error) {
        const failure = toDeliveryFailure(error);
        errors.push({
          phoneNumber,
          code: failure.code,
          category: failure.category,
          message: failure.message,
        });
      }
      processed += 1;
      report(false);
    }
  };
  await Promise.all(Array.from({ length: Math.min(run.concurrency, plan.numbers.length) }, worker));
  report(true);
  return {
    results,
    errors,
    totalProcessed: processed,
    totalErrors: errors.length,
    duplicates: plan.duplicates,
    alreadySent,
  };
}
