import {
  type Capabilities,
  DeliveryError,
  type OutboundEnvelope,
  parseMessage,
  planRender,
  ThreadlineError,
} from '@threadline/core';
import { renderMedia } from './media';

/**
 * An envelope → the SMS/MMS messages to create, in order: the text as the core plans it (every
 * component as text: actions become `1. Label` lines the user answers with a number; text past
 * 1,600 characters split at paragraph, line or word breaks), then the media.
 */

/** One message to create, before the recipient and sender are added. */
export interface RenderedSms {
  body?: string;
  mediaUrl?: string[];
}

/** What rendering needs besides the envelope. */
export interface RenderContext {
  capabilities: Capabilities;
  /** Whether the recipient's country takes MMS. */
  mms: boolean;
}

/**
 * Renders one envelope. Throws a non-retryable `invalid_request` `DeliveryError` when there is
 * nothing to send or the text needs more than `text.maxParts` messages.
 *
 * @example
 * ```ts
 * renderEnvelope({ deliveryId: 'd1', to: { address: '+15558675310' }, text: 'Pick one:\n::: actions\n- Tea\n- Coffee\n:::' }, context);
 * // [{ body: 'Pick one:\n\n1. Tea\n2. Coffee' }]
 * ```
 */
export function renderEnvelope(envelope: OutboundEnvelope, context: RenderContext): RenderedSms[] {
  if (envelope.template) {
    throw new DeliveryError('SMS has no provider templates; send the text instead', {
      category: 'invalid_request',
      provider: 'twilio',
    });
  }
  const parts = envelope.parts ?? parseMessage(envelope.text ?? '');
  let texts: RenderedSms[];
  try {
    texts = planRender(parts, context.capabilities).flatMap((segment) =>
      segment.type === 'text' ? [{ body: segment.text }] : [],
    );
  } catch (error) {
    if (error instanceof ThreadlineError && error.category === 'validation') {
      throw new DeliveryError(`The message cannot go by SMS: ${error.message}`, {
        category: 'invalid_request',
        provider: 'twilio',
        cause: error,
      });
    }
    throw error;
  }
  const messages = [...texts, ...renderMedia(envelope.media ?? [], { mms: context.mms })];
  if (messages.length === 0) {
    throw new DeliveryError('Nothing to send: the message has no text and no media', {
      category: 'invalid_request',
      provider: 'twilio',
    });
  }
  return messages;
}
