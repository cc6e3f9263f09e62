import { NotFoundError } from '../../errors/policy';
import type { RuntimeContext } from '../context';
import { sendMessage } from '../outbound/send';
import type { Dispatcher } from '../outbox/dispatcher';
import type { WakeAgent } from './pipeline';
import type { AgentTurn } from './turn';

/**
 * Builds the agent's turn for a recorded message and calls `onMessage`. The history is read when
 * the turn starts (not when the message arrived), so it includes everything the earlier turns of
 * this thread sent.
 */
export function createWakeAgent(
  ctx: RuntimeContext,
  dispatcher: Dispatcher,
  onMessage: ((turn: AgentTurn) => unknown) | undefined,
): WakeAgent | undefined {
  // No agent, no turns: the pipeline then skips the turn queue and its store lease entirely.
  if (!onMessage) return undefined;
  return async ({ adapter, message, userId, address, threadId, seq, attempt, started }) => {
    const user = await ctx.store.users.get(userId);
    if (!user) throw new NotFoundError('user', userId);
    const entries = await ctx.store.threads.read(threadId, {
      latest: ctx.options.inbound.historyLimit,
    });
    const turn: AgentTurn = {
      user,
      thread: {
        id: threadId,
        entries,
        read: (options) => ctx.store.threads.read(threadId, options),
      },
      message: { ...message, seq, channel: adapter.channel, adapterId: adapter.id },
      attempt,
      async reply(text, options = {}) {
        return sendMessage(ctx, dispatcher, {
          channel: adapter.channel,
          to: { userId: user.id },
          exactAddress: address,
          kind: 'free-form',
          origin: 'reply',
          ...(typeof text === 'string'
            ? {
                payload: { text, ...(options.media === undefined ? {} : { media: options.media }) },
              }
            : {
                payload: options.media === undefined ? {} : { media: options.media },
                stream: text,
              }),
          options: {
            channelIdentifier: adapter.id,
            ...(options.quote ? { replyTo: message.providerMessageId } : {}),
            ...(options.idempotencyKey === undefined
              ? {}
              : { idempotencyKey: options.idempotencyKey }),
          },
        });
      },
    };
    await ctx.telemetry.span(
      'threadline.turn',
      {
        'threadline.user.id': user.id,
        'threadline.thread.id': threadId,
        'threadline.thread.seq': seq,
        'threadline.channel': adapter.channel,
        'threadline.turn.attempt': attempt,
      },
      async () => {
        started?.();
        await onMessage(turn);
      },
    );
  };
}
