import {
  attachLeads,
  type Capabilities,
  type ComponentPart,
  DeliveryError,
  type OutboundEnvelope,
  parseMessage,
  planRender,
  type RenderSegment,
  ValidationError,
} from '@threadline/core';
import { renderCarousel } from './cards';
import { BUTTON_TEMPLATE_TEXT_MAX, renderPayment, renderQuickReplies } from './choices';
import { renderDocuments, renderImages, renderMedia } from './media';
import { fallbackMessages, type SendApiMessage, textMessages } from './text';

/**
 * An envelope → the Send API messages that show it, in order. `planRender` decides from the
 * capabilities what is native and what becomes text; this file maps each segment to its
 * renderer and hands the text right before a block to the block as its text.
 */

/** Whether a block shows the text written right before it (quick replies, a button template). */
function takesLead(part: ComponentPart): boolean {
  return part.type === 'actions' || part.type === 'payment';
}

function renderComponent(
  part: ComponentPart,
  lead: string | undefined,
  capabilities: Capabilities,
): SendApiMessage[] {
  const maxLength = capabilities.text.maxLength;
  switch (part.type) {
    case 'actions':
      return renderQuickReplies(part, lead, maxLength);
    case 'payment':
      return renderPayment(part, lead);
    case 'horizontal-list-item':
      return renderCarousel(part);
    case 'images':
      return renderImages(part);
    case 'documents':
      return renderDocuments(part);
    case 'navigate':
      return [];
    default:
      // Declared `fallback`, so planRender sends these as text; kept for capabilities set by hand.
      return fallbackMessages(part, lead, maxLength);
  }
}

function renderSegments(
  segments: readonly RenderSegment[],
  capabilities: Capabilities,
): SendApiMessage[] {
  return attachLeads(segments, { takesLead, maxLeadLength: BUTTON_TEMPLATE_TEXT_MAX }).flatMap(
    (segment) =>
      segment.type === 'component'
        ? renderComponent(segment.part, segment.lead, capabilities)
        : textMessages(segment.text, capabilities.text.maxLength),
  );
}

function invalid(message: string, cause?: unknown): DeliveryError {
  return new DeliveryError(message, {
    category: 'invalid_request',
    provider: 'meta',
    retryable: false,
    cause,
  });
}

/**
 * Renders an envelope: the text and `:::` blocks, then each media file. Throws a non-retryable
 * `DeliveryError` for what the Send API would refuse, before anything is sent.
 *
 * @example
 * ```ts
 * renderEnvelope({ deliveryId: 'd1', to: { address: '1254459154682919' }, text: 'Hi!' }, capabilities);
 * // [{ text: 'Hi!' }]
 * ```
 */
export function renderEnvelope(
  envelope: OutboundEnvelope,
  capabilities: Capabilities,
): SendApiMessage[] {
  if (envelope.template) {
    throw invalid('Messenger and Instagram have no message templates; send text (with a tag)');
  }
  const parts = envelope.parts ?? (envelope.text ? parseMessage(envelope.text) : []);
  let segments: RenderSegment[];
  try {
    segments = planRender(parts, capabilities);
  } catch (error) {
    // Text over `text.maxParts` messages: refused whole rather than cut.
    if (error instanceof ValidationError) throw invalid(error.message, error);
    throw error;
  }
  const messages = [
    ...renderSegments(segments, capabilities),
    ...(envelope.media ?? []).flatMap((media) => renderMedia(media, capabilities)),
  ];
  if (messages.length === 0) throw invalid('The message renders to nothing Meta can show');
  return messages;
}
