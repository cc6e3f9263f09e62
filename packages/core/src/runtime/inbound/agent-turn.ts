import { NotFoundError } from '../../errors/policy';
import type { RuntimeContext } from '../context';
import { sendMessage } from '../outbound/send';
import type { SendOutput } from '../outbound/types';
import type { Dispatcher } from '../outbox/dispatcher';
import { retryStoreBlips } from '../store-retry';
import type { WakeAgent } from './pipeline';
import type { AgentTurn } from './turn';

/**
 * The idempotency key of a turn's `n`-th reply when the agent gives none: the same in every
 * attempt of the turn, so a turn run again (its instance died, a store blip) never sends its
 * `n`-th reply twice, and a reply whose store write failed ambiguously can be retried safely.
 */
export function replyIdempotencyKey(threadId: string, seq: number, n: number): string {
  return `turn:${threadId}:${seq}:reply:${n}`;
}

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
    let replies = 0;
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
        replies += 1;
        const idempotencyKey =
          options.idempotencyKey ?? replyIdempotencyKey(threadId, seq, replies);
        const send = (tryNumber: number): Promise<SendOutput> =>
          sendMessage(ctx, dispatcher, {
            channel: adapter.channel,
            to: { userId: user.id },
            exactAddress: address,
            kind: 'free-form',
            origin: 'reply',
            ...(typeof text === 'string'
              ? {
                  payload: {
                    text,
                    ...(options.media === undefined ? {} : { media: options.media }),
                  },
                }
              : {
                  payload: options.media === undefined ? {} : { media: options.media },
                  stream: text,
                }),
            // Only a first attempt's first try can skip the lookup: its key is new for sure.
            freshIdempotencyKey:
              options.idempotencyKey === undefined && attempt === 1 && tryNumber === 1,
            resumeOwnDelivery: tryNumber > 1,
            options: {
              channelIdentifier: adapter.id,
              ...(options.quote ? { replyTo: message.providerMessageId } : {}),
              idempotencyKey,
            },
          });
        // A stream is read once: it cannot be sent again after a failure.
        if (typeof text !== 'string') return send(1);
        // Keyed, so a try whose write landed before the connection dropped is found, not repeated.
        return retryStoreBlips(send, (error) =>
          ctx.reportError(error, { phase: 'agent', threadId, userId }),
        );
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
