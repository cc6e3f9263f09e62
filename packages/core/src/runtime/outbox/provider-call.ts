import type { ChannelAdapter } from '../../adapter/contract';
import type { OutboundEnvelope, SendResult } from '../../message/outbound';
import type { RuntimeContext } from '../context';

/**
 * The adapter's `send` for one attempt, in a `threadline.provider.call` span when spans are
 * recorded. Every send comes here, so without tracing it is the bare call: no attributes, no
 * closure, no span.
 */
export function providerCall(
  ctx: RuntimeContext,
  adapter: ChannelAdapter,
  envelope: OutboundEnvelope,
  signal: AbortSignal,
): Promise<SendResult> {
  const { telemetry } = ctx;
  if (!telemetry.tracing) return adapter.send(envelope, { signal });
  return telemetry.span(
    'threadline.provider.call',
    { 'threadline.adapter.id': adapter.id, 'threadline.provider': adapter.provider },
    async (span) => {
      const sent = await adapter.send(envelope, { signal });
      span.set('threadline.provider.message_id', sent.providerMessageId);
      return sent;
    },
    { kind: 'client' },
  );
}
