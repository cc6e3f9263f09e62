import type { ChannelAdapter } from '../../adapter/contract';
import type { EchoEvent, EmitReceipt } from '../../events/inbound-events';
import type { RuntimeContext } from '../context';
import { resolveSender } from './resolve';

/**
 * Echoes of messages the business side sent (Messenger's `is_echo`). A person answering from the
 * Page inbox talks to the user outside Threadline; recording what they said keeps the thread whole
 * for the agent's next turn. Nothing is sent: an echo never becomes a delivery.
 * Source: https://developers.facebook.com/docs/messenger-platform/reference/webhook-events/message-echoes
 */

/** The thread entry's `metadata.author` for a message a person sent from the business inbox. */
export const HUMAN_AGENT_AUTHOR = 'human-agent';

/**
 * Records an echo to the user's thread as an outbound entry by a human agent, once. An echo of a
 * delivery Threadline sent (the adapter's provider id is on a delivery) is already in the thread
 * and is skipped; provider retries of the same echo are deduped like inbound messages.
 */
export async function recordEcho(
  ctx: RuntimeContext,
  adapter: ChannelAdapter,
  event: EchoEvent,
): Promise<EmitReceipt> {
  const { store, options, agentId } = ctx;
  const { message } = event;
  const ours = await store.deliveries.findByProviderMessageId({
    adapterId: adapter.id,
    providerMessageId: message.providerMessageId,
  });
  if (ours !== null) return { recorded: false, duplicate: true };
  const claimKey = `echo:${adapter.id}:${message.providerMessageId}`;
  if (!(await store.dedupe.claim(claimKey, options.inbound.dedupeTtlMs))) {
    return { recorded: false, duplicate: true };
  }
  try {
    const resolved = await resolveSender(ctx, adapter, event.to);
    const thread = await store.threads.ensure({ userId: resolved.user.id, agentId });
    const entry = await store.threads.append(thread.id, {
      direction: 'outbound',
      at: new Date(Math.min(message.timestamp.getTime(), ctx.clock.now())),
      text: message.text,
      channel: adapter.channel,
      adapterId: adapter.id,
      providerMessageId: message.providerMessageId,
      ...(message.media === undefined ? {} : { media: message.media }),
      metadata: JSON.parse(
        JSON.stringify({
          author: HUMAN_AGENT_AUTHOR,
          sentBy: event.sentBy,
          payload: message.payload,
          extra: message.metadata,
        }),
      ),
    });
    ctx.events.emit('event.received', { event, userId: resolved.user.id });
    return { recorded: true, userId: resolved.user.id, threadId: thread.id, seq: entry.seq };
  } catch (error) {
    await store.dedupe.release(claimKey).catch(() => undefined);
    throw error;
  }
}
