import type { ChannelAdapter } from '../../adapter/contract';
import type { DeliveryOrigin } from '../../store/deliveries';
import type { RuntimeContext } from '../context';
import type { Dispatcher } from '../outbox/dispatcher';
import { type DeliveryPayload, toStoredPayload } from '../outbox/payload';
import { type SendOutput, toSendOutput } from './result';

/**
 * Reads an agent's streamed answer to the end. Channels that cannot show text as it is generated
 * receive the finished text once; the thread always records the finished text.
 */
export async function collectText(stream: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += chunk;
  return text;
}

/**
 * Reads `source` to the end whatever the consumer does, and lets one consumer follow along. An
 * adapter that stops reading (it failed mid-stream) must not stop the text being collected.
 */
function tee(source: AsyncIterable<string>): {
  live: AsyncIterable<string>;
  finished: Promise<string>;
} {
  const chunks: string[] = [];
  let done = false;
  let wake: (() => void) | undefined;
  const finished = (async () => {
    try {
      for await (const chunk of source) {
        chunks.push(chunk);
        wake?.();
      }
    } finally {
      done = true;
      wake?.();
    }
    return chunks.join('');
  })();
  const live: AsyncIterable<string> = {
    async *[Symbol.asyncIterator]() {
      let index = 0;
      for (;;) {
        if (index < chunks.length) {
          yield chunks[index++] as string;
          continue;
        }
        if (done) return;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    },
  };
  return { live, finished };
}

/** A streamed send, after policy: who to, from which adapter, recorded where. */
export interface StreamDeliveryInput {
  adapter: ChannelAdapter;
  address: string;
  userId?: string;
  threadId?: string;
  payload: DeliveryPayload;
  origin: DeliveryOrigin;
  stream: AsyncIterable<string>;
  idempotencyKey?: string;
}

/**
 * Streams text to a channel that shows it as it is generated (web chat). The delivery is written
 * first, as for any send, but its text exists only once the stream ends: the thread records the
 * finished text then. If the adapter fails, the stream is still read to the end and the finished
 * text is handed back for an ordinary send (`fallbackText`).
 */
export async function deliverStream(
  ctx: RuntimeContext,
  dispatcher: Dispatcher,
  input: StreamDeliveryInput,
): Promise<{ output: SendOutput } | { failedDeliveryId: string; fallbackText: string }> {
  const { delivery, created } = await ctx.store.deliveries.create({
    channel: input.adapter.channel,
    adapterId: input.adapter.id,
    recipient: input.address,
    payload: toStoredPayload({ ...input.payload, streamed: true }, ctx.telemetry.traceparent()),
    origin: input.origin,
    agentId: ctx.agentId,
    ...(input.userId === undefined ? {} : { userId: input.userId }),
    ...(input.threadId === undefined ? {} : { threadId: input.threadId }),
    ...(input.idempotencyKey === undefined ? {} : { idempotencyKey: input.idempotencyKey }),
    nextAttemptAt: new Date(ctx.clock.now()),
    lease: { owner: ctx.instanceId, ms: ctx.options.outbox.leaseMs },
  });
  if (!created) {
    return { output: toSendOutput(delivery, { persisted: delivery.threadId !== undefined }) };
  }
  const { live, finished } = tee(input.stream);
  const outcome = await dispatcher.attempt(delivery, { stream: live });
  const text = await finished;
  if (outcome.delivery.status === 'failed')
    return { failedDeliveryId: delivery.id, fallbackText: text };
  let persisted = false;
  if (input.threadId !== undefined) {
    await ctx.store.threads.append(input.threadId, {
      direction: 'outbound',
      at: new Date(ctx.clock.now()),
      text,
      channel: input.adapter.channel,
      adapterId: input.adapter.id,
      deliveryId: delivery.id,
      metadata: { streamed: true },
    });
    persisted = true;
  }
  return { output: toSendOutput(outcome.delivery, { persisted }) };
}
