import type { ChannelAdapter } from '../../adapter/contract';
import type { MessageEvent } from '../../events/inbound-events';
import { boundJson } from '../../message/bounded-json';
import type { JsonObject } from '../../message/json';
import type { DeadLetter, DeadLetterError } from '../../store/dead-letters';
import type { RuntimeContext } from '../context';

/** What a dead letter keeps of an error: plain data, no stack. */
function describeError(error: unknown): DeadLetterError {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      name: error.name,
      ...(typeof code === 'string' ? { code } : {}),
      message: error.message,
    };
  }
  return { name: typeof error, message: String(error) };
}

/**
 * Counts a failed attempt at recording a provider message (`store.deadLetters`), and once the
 * same message has failed `inbound.maxAttempts` times returns its dead letter, having emitted
 * `message.dead-lettered`: the caller then answers the provider 2xx so it stops retrying a
 * message that will never record. Returns `null` while attempts remain, when the store has no
 * `deadLetters` part, or when counting itself fails (the store is down: the provider's retry is
 * then the right answer, and counts nothing).
 */
export async function countFailure(
  ctx: RuntimeContext,
  adapter: ChannelAdapter,
  event: MessageEvent,
  error: unknown,
): Promise<DeadLetter | null> {
  const part = ctx.store.deadLetters;
  if (part === undefined) return null;
  const { message } = event;
  const record = boundJson<JsonObject>({ ...message, timestamp: message.timestamp.toISOString() });
  try {
    const { deadLetter, attempts } = await part.recordFailure({
      adapterId: adapter.id,
      providerMessageId: message.providerMessageId,
      channel: adapter.channel,
      at: new Date(ctx.clock.now()),
      error: describeError(error),
      message: record.value,
      maxAttempts: ctx.options.inbound.maxAttempts,
    });
    if (deadLetter === null) return null;
    // Emitted once, when the limit is reached; a later retry of the same message is answered 2xx.
    if (attempts === ctx.options.inbound.maxAttempts) {
      ctx.logger.warn(
        { adapterId: adapter.id, providerMessageId: message.providerMessageId, attempts },
        'inbound message dead-lettered after repeated failures',
      );
      ctx.events.emit('message.dead-lettered', { deadLetter, error });
    }
    return deadLetter;
  } catch (countError) {
    ctx.logger.warn(
      { adapterId: adapter.id, error: describeError(countError).message },
      'could not count a failed inbound attempt',
    );
    return null;
  }
}
