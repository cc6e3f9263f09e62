import type { ChannelAdapter } from '../../adapter/contract';
import { WindowClosedError } from '../../errors/policy';
import type { Delivery } from '../../store/deliveries';
import type { Identity } from '../../store/identities';
import type { RuntimeContext } from '../context';
import type { AttemptOutcome, Dispatcher } from '../outbox/dispatcher';
import { fromStoredPayload } from '../outbox/payload';
import { reportStatusChange } from '../outbox/status-change';
import { deliver } from './deliver';
import { checkUsMarketing } from './marketing';
import type { SendWarning } from './result';

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
): Promise<SendWarning[]> {
  const { adapter, identity } = input;
  const template = adapter.reEngagementTemplate;
  if (!template) {
    return [
      {
        code: 'no_re_engagement_template',
        message: `no re-engagement template is configured for adapter ${adapter.id}; the message waits until the user writes`,
      },
    ];
  }
  const warnings = checkUsMarketing({
    template,
    address: identity.address,
    channel: adapter.channel,
    behaviour: 'warn',
    what: 're-engagement template',
  });
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
    warnings.push({
      code: 're_engagement_failed',
      message: `re-engagement template ${template.name} failed: ${outcome.delivery.error?.message ?? 'unknown error'}`,
    });
  } else {
    warnings.push({
      code: 'window_closed_template_sent',
      message: `the window is closed: the message is held and re-engagement template ${template.name} was sent`,
    });
  }
  return warnings;
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
    const warnings = identity
      ? await sendReEngagement(ctx, getDispatcher(), {
          adapter,
          identity,
          ...(delivery.threadId === undefined ? {} : { threadId: delivery.threadId }),
        })
      : [];
    return { delivery: parked ?? delivery, held: true, warnings };
  };
}
