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
import type { CarouselTemplateOption } from '../options';
import { renderCarousel } from './carousel';
import { type ChoiceOptions, INTERACTIVE_BODY_MAX, renderActions, renderCards } from './choices';
import { renderPayment } from './cta';
import { renderFlow } from './flow';
import { renderDocuments, renderImages, renderMedia } from './media';
import { renderTemplate } from './template';
import { fallbackMessages, type GraphMessage, textMessage } from './text';

/**
 * An envelope → the Graph messages that show it, in order. `planRender` decides, from the
 * capabilities, what is native and what becomes text; this file only maps each segment to the
 * renderer of its family and threads the text before a block into the block's body.
 */

/** What rendering needs besides the envelope. */
export interface RenderContext {
  capabilities: Capabilities;
  options: ChoiceOptions;
  /** Set when the host configured a carousel template. */
  carousel?: CarouselTemplateOption;
}

/**
 * Whether a block shows the text written right before it as its body. Interactive messages need a
 * body anyway, and one message reads better than a text followed by a bare button.
 */
function takesLead(part: ComponentPart): boolean {
  switch (part.type) {
    case 'actions':
    case 'list-item':
    case 'payment':
      return true;
    case 'flow':
      return part.body === undefined;
    default:
      return false;
  }
}

function renderComponent(
  part: ComponentPart,
  lead: string | undefined,
  deliveryId: string,
  context: RenderContext,
): GraphMessage[] {
  const { options } = context;
  switch (part.type) {
    case 'actions':
      return renderActions(part, lead, options);
    case 'list-item':
      return renderCards(part, lead, options);
    case 'horizontal-list-item':
      return context.carousel
        ? renderCarousel(part, context.carousel, options)
        : renderCards({ type: 'list-item', items: part.items }, undefined, options);
    case 'images':
      return renderImages(part);
    case 'documents':
      return renderDocuments(part);
    case 'payment':
      return renderPayment(part, lead);
    case 'flow':
      return renderFlow(part, lead, deliveryId, options);
    case 'links':
      // Declared `fallback`, so planRender sends links as text; kept for capabilities overridden by hand.
      return fallbackMessages(part, lead, options);
    case 'navigate':
      return [];
  }
}

/** Segments → messages, handing a short text to the block right after it as its body. */
function renderSegments(
  segments: readonly RenderSegment[],
  deliveryId: string,
  context: RenderContext,
): GraphMessage[] {
  return attachLeads(segments, { takesLead, maxLeadLength: INTERACTIVE_BODY_MAX }).flatMap(
    (segment) =>
      segment.type === 'component'
        ? renderComponent(segment.part, segment.lead, deliveryId, context)
        : [textMessage(segment.text, context.options)],
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

function plan(envelope: OutboundEnvelope, capabilities: Capabilities): RenderSegment[] {
  const parts = envelope.parts ?? (envelope.text ? parseMessage(envelope.text) : []);
  try {
    return planRender(parts, capabilities);
  } catch (error) {
    // Text over `text.maxParts` messages: refused whole rather than cut (the contract's rule).
    if (error instanceof ValidationError) throw invalid(error.message, error);
    throw error;
  }
}

/**
 * Renders an envelope: a template envelope is one template message (any text on it is not sent;
 * the core records it to the thread); otherwise the text and `:::` blocks, then each media file.
 * `replyTo` quotes the user's message on the first message only. Throws a non-retryable
 * `DeliveryError` (`invalid_request`, `media` or `template`) for what WhatsApp would refuse,
 * before anything is sent.
 *
 * @example
 * ```ts
 * renderEnvelope({ deliveryId: 'd1', to: { address: '+15550001234' }, text: 'Hi!', replyTo: 'wamid.1' }, context);
 * // [{ type: 'text', text: { body: 'Hi!', preview_url: false }, context: { message_id: 'wamid.1' } }]
 * ```
 */
export function renderEnvelope(envelope: OutboundEnvelope, context: RenderContext): GraphMessage[] {
  const messages = envelope.template
    ? [renderTemplate(envelope.template)]
    : [
        ...renderSegments(plan(envelope, context.capabilities), envelope.deliveryId, context),
        ...(envelope.media ?? []).flatMap((media) =>
          renderMedia(media, context.capabilities, context.options),
        ),
      ];
  const [first, ...rest] = messages;
  if (first === undefined) throw invalid('The message renders to nothing WhatsApp can show');
  if (envelope.replyTo === undefined) return messages;
  return [{ ...first, context: { message_id: envelope.replyTo } }, ...rest];
}
