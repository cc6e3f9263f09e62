import type { RenderedMessage } from '@threadline/testkit';

/**
 * Graph message bodies → the conformance suite's normalised `RenderedMessage`s, as the user sees
 * them: an interactive message's body is text the user reads, then its buttons or rows are one
 * component; consecutive image (or document) messages are one `images` (`documents`) block, since
 * WhatsApp has no gallery message. A list is `list-item` when its row ids are the card positions
 * the renderer gives cards (`item-<n>`), `actions` otherwise (those ids are the labels).
 */

// biome-ignore lint/suspicious/noExplicitAny: Graph bodies are plain JSON
type Body = any;

const CARD_ROW_ID = /^item-\d+$/;

function component(
  kind: Extract<RenderedMessage, { type: 'component' }>['kind'],
  labels: string[],
  items = labels.length,
): RenderedMessage {
  return { type: 'component', kind, items, ...(labels.length > 0 ? { labels } : {}) };
}

function interactive(body: Body): RenderedMessage[] {
  const shown: RenderedMessage[] = [];
  if (body.header?.text) shown.push({ type: 'text', text: body.header.text });
  if (body.body?.text) shown.push({ type: 'text', text: body.body.text });
  switch (body.type) {
    case 'button':
      shown.push(
        component(
          'actions',
          body.action.buttons.map((b: Body) => b.reply.title),
        ),
      );
      break;
    case 'list': {
      const rows = body.action.sections.flatMap((section: Body) => section.rows);
      const cards = rows.every((row: Body) => CARD_ROW_ID.test(row.id));
      shown.push(
        component(
          cards ? 'list-item' : 'actions',
          rows.map((row: Body) => row.title),
        ),
      );
      break;
    }
    case 'cta_url':
      shown.push(component('payment', [body.action.parameters.display_text]));
      break;
    case 'flow':
      shown.push(component('flow', [body.action.parameters.flow_cta]));
      break;
    default:
      throw new Error(`unexpected interactive type ${body.type}`);
  }
  if (body.footer?.text) shown.push({ type: 'text', text: body.footer.text });
  return shown;
}

function carousel(body: Body): RenderedMessage | undefined {
  const cards = body.template.components?.find((c: Body) => c.type === 'carousel')?.cards;
  if (!cards) return undefined;
  const labels = cards.map(
    (card: Body) =>
      card.components.find((c: Body) => c.type === 'body')?.parameters[0]?.text as string,
  );
  return component('horizontal-list-item', labels);
}

/** Normalises what reached the Graph mock, in order. */
export function toRendered(bodies: readonly Body[]): RenderedMessage[] {
  const rendered: RenderedMessage[] = [];
  let previous: string | undefined;
  for (const body of bodies) {
    const last = rendered.at(-1);
    if ((body.type === 'image' || body.type === 'document') && previous === body.type) {
      if (last?.type === 'component') last.items += 1;
    } else if (body.type === 'image') {
      rendered.push(component('images', [], 1));
    } else if (body.type === 'document') {
      rendered.push(component('documents', [], 1));
    } else if (body.type === 'text') {
      rendered.push({ type: 'text', text: body.text.body });
    } else if (body.type === 'interactive') {
      rendered.push(...interactive(body.interactive));
    } else if (body.type === 'template') {
      // A carousel template is the native carousel; any other template shows as its name, so a
      // template send is visible to the suite.
      rendered.push(carousel(body) ?? { type: 'text', text: `template ${body.template.name}` });
    }
    previous = body.type;
  }
  return rendered;
}
