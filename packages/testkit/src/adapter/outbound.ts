import {
  type Capabilities,
  type Media,
  type MessagePart,
  type OutboundEnvelope,
  parseMessage,
  planRender,
  type RenderSegment,
  ValidationError,
} from '@threadline/core';
import { createTestDeliveryError } from './failures';

/** One envelope the test adapter accepted, as it "reached the provider". */
export interface SentMessage {
  envelope: OutboundEnvelope;
  /** What was rendered, one provider message per segment (text within the limit, or a component). */
  segments: RenderSegment[];
  /** Media sent after the segments, one provider message each. */
  media: Media[];
  /** One id per provider message: segments first, then media; a template is one message. */
  providerMessageIds: string[];
  /** Chunks read from `envelope.stream`, when there was one. */
  streamed?: string[];
  /** The adapter clock's time of the send. */
  at: Date;
}

/** The outcome of {@link renderEnvelope}, before ids are given out. */
export type RenderedEnvelope = Omit<SentMessage, 'providerMessageIds' | 'at'> & {
  /** How many provider messages the envelope becomes. */
  messageCount: number;
};

/**
 * `planRender` refuses text needing more than `text.maxParts` messages with a ValidationError;
 * from `send` that is the request's fault, so it becomes a non-retryable `invalid_request`.
 */
function plan(parts: MessagePart[], capabilities: Capabilities): RenderSegment[] {
  try {
    return planRender(parts, capabilities);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    throw createTestDeliveryError('invalid_request', { message: error.message, cause: error });
  }
}

async function readStream(stream: AsyncIterable<string>): Promise<string[]> {
  const chunks: string[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

function checkMedia(media: readonly Media[], capabilities: Capabilities): void {
  for (const item of media) {
    const limits = capabilities.media[item.kind];
    if (limits === undefined) {
      throw createTestDeliveryError('media', {
        message: `This channel does not send ${item.kind}`,
      });
    }
    if (item.sizeBytes !== undefined && item.sizeBytes > limits.maxBytes) {
      throw createTestDeliveryError('media', {
        message: `${item.kind} of ${item.sizeBytes} bytes exceeds ${limits.maxBytes}`,
      });
    }
  }
}

/**
 * Renders an envelope the way a real adapter would, from the capabilities alone: a template is
 * sent as itself; otherwise the parts (or the parsed text) go through `planRender`, so components
 * are native only where the capabilities say so and text is split within `text.maxLength`.
 * Refuses (with a `DeliveryError`) what a provider would refuse: no recipient address, a template
 * on a channel without templates, unsupported or oversized media, more than `text.maxParts`
 * messages, or nothing to send at all.
 *
 * @example
 * ```ts
 * const { segments } = await renderEnvelope({ deliveryId: 'd1', to: { address: '+15550001' }, text: 'hi' }, testCapabilities);
 * // [{ type: 'text', text: 'hi' }]
 * ```
 */
export async function renderEnvelope(
  envelope: OutboundEnvelope,
  capabilities: Capabilities,
): Promise<RenderedEnvelope> {
  if (envelope.to.address.trim() === '') {
    throw createTestDeliveryError('invalid_request', { message: 'The recipient has no address' });
  }
  const media = envelope.media ?? [];
  checkMedia(media, capabilities);

  if (envelope.template) {
    if (!capabilities.templates.supported) {
      throw createTestDeliveryError('template', { message: 'This channel has no templates' });
    }
    return { envelope, segments: [], media, messageCount: 1 };
  }

  // Every channel receives the finished text; only the record keeps the chunks (DESIGN §3).
  const streamed = envelope.stream ? await readStream(envelope.stream) : undefined;
  const text = envelope.text ?? streamed?.join('') ?? '';
  const segments = plan(envelope.parts ?? parseMessage(text), capabilities);
  const messageCount = segments.length + media.length;
  if (messageCount === 0) {
    throw createTestDeliveryError('invalid_request', {
      message: 'Nothing to send: the message is empty once rendered for this channel',
    });
  }
  return { envelope, segments, media, messageCount, ...(streamed ? { streamed } : {}) };
}
