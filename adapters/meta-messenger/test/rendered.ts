import type { RenderedMessage } from '@threadline/testkit';

/**
 * Send API bodies → the conformance suite's `RenderedMessage`s, as the user sees them: quick
 * replies are the text then an `actions` block; a one-URL-button template is `payment`; a generic
 * template is a `horizontal-list-item`; consecutive image (file) attachments are one `images`
 * (`documents`) block, since Messenger has no gallery message.
 */

// biome-ignore lint/suspicious/noExplicitAny: Send API bodies are plain JSON
type Body = any;

const component = (
  kind: Extract<RenderedMessage, { type: 'component' }>['kind'],
  labels: string[],
  items = labels.length,
): RenderedMessage => ({
  type: 'component',
  kind,
  items,
  ...(labels.length > 0 ? { labels } : {}),
});

export function toRendered(bodies: readonly Body[]): RenderedMessage[] {
  const shown: RenderedMessage[] = [];
  for (const { message } of bodies) {
    if (message.quick_replies) {
      shown.push({ type: 'text', text: message.text });
      shown.push(
        component(
          'actions',
          message.quick_replies.map((q: Body) => q.title),
        ),
      );
      continue;
    }
    if (message.text !== undefined) {
      shown.push({ type: 'text', text: message.text });
      continue;
    }
    const { type, payload } = message.attachment;
    if (type === 'template' && payload.template_type === 'button') {
      shown.push({ type: 'text', text: payload.text });
      shown.push(
        component(
          'payment',
          payload.buttons.map((b: Body) => b.title),
        ),
      );
      continue;
    }
    if (type === 'template' && payload.template_type === 'generic') {
      shown.push(
        component(
          'horizontal-list-item',
          payload.elements.map((e: Body) => e.title),
        ),
      );
      continue;
    }
    const kind = type === 'file' ? 'documents' : 'images';
    const last = shown.at(-1);
    if (last?.type === 'component' && last.kind === kind) last.items += 1;
    else shown.push({ type: 'component', kind, items: 1 });
  }
  return shown;
}
