import type { ChannelAdapter } from '../../adapter/contract';
import { WindowClosedError } from '../../errors/policy';
import type { Delivery } from '../../store/deliveries';
import type { Identity } from '../../store/identities';
import type { RuntimeContext } from '../context';
import type { AttemptOutcome, Dispatcher } from '../outbox/dispatcher';
import { fromStoredPayload } from '../outbox/payload';
import { reportStatusChange } from '../outbox/status-change';
import { deliver } from './deliver';

/**
 * Meta does not deliver marketing templates to US numbers (+1) since 1 April 2025 (error 131049);
 * a utility template still goes through.
 * Source: https://developers.facebook.com/documentation/business-messaging/whatsapp/marketing-messages/
 */
export const US_MARKETING_PAUSE_PREFIX = '+1';

const DAY_MS = 86_400_000;

/**
 * Sends the adapter's re-engagement template so the user can re-open the window. At most one per
 * recipient per closed window per day (an idempotency key), however many messages queue behind it.
 * Returns a warning for the host when the template cannot do its job.
 */
export async function sendReEngagement(
  ctx: RuntimeContext,
  dispatcher: Dispatcher,
  input: { adapter: ChannelAdapter; identity: Identity; threadId?: string },
): Promise<string | undefined> {
  const { adapter, identity } = input;
  const template = adapter.reEngagementTemplate;
  if (!template) {
    return `no re-engagement template is configured for adapter ${adapter.id}; the message waits until the user writes`;
  }
  const warnings: string[] = [];
  if (template.category === 'MARKETING' && identity.address.startsWith(US_MARKETING_PAUSE_PREFIX)) {
    warnings.push(
      `re-engagement template ${template.name} is MARKETING and Meta may not deliver it to US (+1) numbers; configure a UTILITY template`,
    );
  }
  const episode = identity.lastInboundAt?.toISOString() ?? 'never';
  const day = Math.floor(ctx.clock.now() / DAY_MS);
  const { outcome } = await deliver(ctx, dispatcher, {
    adapter,
    address: identity.address,
    userId: identity.userId,
    payload: { template },
    origin: 're-engagement',
    templateName: template.name,
    idempotencyKey: `re-engagement:${adapter.id}:${identity.address}:${episode}:${day}`,
    ...(input.threadId === undefined
      ? {}
      : { threadId: input.threadId, threadText: `[template ${template.name}]` }),
  });
  if (outcome?.delivery.status === 'failed') {
    warnings.push(
      `re-engagement template ${template.name} failed: ${outcome.delivery.error?.message ?? 'unknown error'}`,
    );
  }
  return warnings.length > 0 ? warnings.join('; ') : undefined;
}

/**
 * What the dispatcher does when an attempt meets a closed window (our own check, or the provider's
 * 131047): with `fail` the delivery fails as `window_closed`; with `queue` it is parked, held for
 * the user's next message on that channel, and the re-engagement template goes out.
 */
export function createClosedWindowHandler(ctx: RuntimeContext, getDispatcher: () => Dispatcher) {
  return async (input: {
    delivery: Delivery;
    adapter: ChannelAdapter;
    owner: string;
    cause?: unknown;
  }): Promise<AttemptOutcome> => {
    const { delivery, adapter, owner, cause } = input;
    const payload = fromStoredPayload(delivery.payload);
    if (payload.onClosedWindow === 'fail' || delivery.userId === undefined) {
      const error = new WindowClosedError({
        channel: delivery.channel,
        address: delivery.recipient,
        cause,
      });
      const failed = await ctx.store.deliveries.fail(delivery.id, {
        owner,
        at: new Date(ctx.clock.now()),
        error: {
          category: 'window_closed',
          code: error.code,
          message: error.message,
          retryable: false,
        },
      });
      if (failed) reportStatusChange(ctx, delivery, failed);
      return { delivery: failed ?? delivery, error };
    }
    const parked = await ctx.store.deliveries.reschedule(delivery.id, { owner, at: null });
    await ctx.store.held.hold({
      userId: delivery.userId,
      channel: delivery.channel,
      deliveryId: delivery.id,
      heldAt: new Date(ctx.clock.now()),
    });
    ctx.telemetry.count('threadline.window.holds', { 'threadline.channel': delivery.channel });
    const identity = await ctx.store.identities.get({
      channel: delivery.channel,
      address: delivery.recipient,
    });
    const warning = identity
      ? await sendReEngagement(ctx, getDispatcher(), {
          adapter,
          identity,
          ...(delivery.threadId === undefined ? {} : { threadId: delivery.threadId }),
        })
      : undefined;
    return {
      delivery: parked ?? delivery,
      held: true,
      ...(warning === undefined ? {} : { warning }),
    };
  };
}
