import {
  type Capabilities,
  DeliveryError,
  type OutboundEnvelope,
  parseMessage,
  planRender,
  ValidationError,
} from '@threadline/core';
import { type ActionHref, renderComponent } from './components';
import { escapeHtml, htmlDocument, textToHtml } from './html';

/**
 * An envelope's message → the two bodies of one email: HTML (components natively, within the
 * capabilities) and a text part that says the same in words, so a text-only client, a screen
 * reader and the thread all see the whole message.
 */

/** The bodies of one email. */
export interface RenderedEmail {
  text: string;
  html: string;
}

/** What rendering needs besides the envelope. */
export interface RenderEmailContext {
  capabilities: Pick<Capabilities, 'components' | 'text'>;
  actionHref?: ActionHref;
  /** A link to unsubscribe, shown in the footer (the header carries it too). */
  unsubscribeUrl?: string;
}

/** Crude but sufficient: the text alternative of host-written HTML when the host gave none. */
function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|h[1-6]|tr)>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function footer(context: RenderEmailContext): RenderedEmail | undefined {
  if (context.unsubscribeUrl === undefined) return undefined;
  return {
    text: `Unsubscribe: ${context.unsubscribeUrl}`,
    html: `<a href="${escapeHtml(context.unsubscribeUrl)}" style="color:#6e7781">Unsubscribe</a>`,
  };
}

/**
 * Renders an envelope's bodies. Host HTML (`email.html`) is sent as given, with the envelope's
 * text (or a text derived from the HTML) as the alternative.
 *
 * @throws DeliveryError `invalid_request` for an envelope with neither text nor HTML, or whose text
 *   renders to nothing (only dropped blocks), unless it carries files.
 * @example
 * ```ts
 * renderEmail({ deliveryId: 'd1', to: { address: 'ann@example.com' }, text: 'Hi' }, { capabilities });
 * ```
 */
export function renderEmail(
  envelope: OutboundEnvelope,
  context: RenderEmailContext,
): RenderedEmail {
  const foot = footer(context);
  const withFoot = (text: string) => (foot === undefined ? text : `${text}\n\n--\n${foot.text}`);
  const hostHtml = envelope.email?.html;
  if (hostHtml !== undefined) {
    return { html: hostHtml, text: withFoot(envelope.text ?? htmlToText(hostHtml)) };
  }
  const hasFiles =
    (envelope.media?.length ?? 0) > 0 || (envelope.email?.attachments?.length ?? 0) > 0;
  const nothingToSend = () =>
    new DeliveryError('an email needs text or HTML', {
      category: 'invalid_request',
      provider: 'smtp',
    });
  if (envelope.text === undefined || envelope.text.trim() === '') {
    if (hasFiles) return { html: htmlDocument('', foot?.html), text: withFoot('') };
    throw nothingToSend();
  }
  let segments: ReturnType<typeof planRender>;
  try {
    segments = planRender(envelope.parts ?? parseMessage(envelope.text), context.capabilities);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    throw new DeliveryError(error.message, {
      category: 'invalid_request',
      provider: 'smtp',
      cause: error,
    });
  }
  const html: string[] = [];
  const text: string[] = [];
  for (const segment of segments) {
    if (segment.type === 'text') {
      html.push(`<div class="tl-text">${textToHtml(segment.text)}</div>`);
      text.push(segment.text);
      continue;
    }
    const block = renderComponent(segment.part, {
      ...(context.actionHref === undefined ? {} : { actionHref: context.actionHref }),
    });
    html.push(block.html);
    text.push(block.text);
  }
  const body = text.join('\n\n');
  // Text of only dropped blocks (a web chat `navigate`) renders to nothing: an empty email is
  // refused like no text at all, unless it carries files.
  if (body.trim() === '' && !hasFiles) throw nothingToSend();
  return { html: htmlDocument(html.join('\n'), foot?.html), text: withFoot(body) };
}
