import { formatCard } from './cards';
import { formatFlow } from './flow';
import type { ComponentPart, MessagePart } from './parts';
import { formatLinkLine } from './syntax';

/**
 * Parts → canonical `:::` text, the inverse of `parseMessage`. Used to store or forward a parsed
 * message as text (e.g. to a channel that renders the blocks itself, such as the web widget).
 */

function block(kind: string, body: readonly string[]): string {
  return [`::: ${kind}`, ...body, ':::'].join('\n');
}

function navigateUrl(path: string, query: Record<string, string>): string {
  const search = new URLSearchParams(query).toString();
  return search === '' ? path : `${path}?${search}`;
}

/** The canonical text of one component part; card lists become one block per card. */
function serializeComponent(part: ComponentPart): string {
  switch (part.type) {
    case 'list-item':
    case 'horizontal-list-item':
      // One block per card, as the platform documents it; the parser merges them back.
      return part.items.map((card) => block(part.type, formatCard(card))).join('\n\n');
    case 'actions':
      return block(
        part.type,
        part.actions.map((action) => `- ${action.label}`),
      );
    case 'links':
      return block(
        part.type,
        part.links.map((link) =>
          link.title === undefined
            ? formatLinkLine({ bang: true, label: 'link', url: link.url })
            : formatLinkLine({ bang: false, label: link.title, url: link.url }),
        ),
      );
    case 'images':
      return block(
        part.type,
        part.images.map((image) =>
          formatLinkLine({ bang: true, label: image.alt ?? '', url: image.url }),
        ),
      );
    case 'documents':
      return block(
        part.type,
        part.documents.map((document) =>
          document.name === undefined
            ? formatLinkLine({ bang: true, label: 'document', url: document.url })
            : formatLinkLine({ bang: false, label: document.name, url: document.url }),
        ),
      );
    case 'payment':
      return block(part.type, [formatLinkLine({ bang: false, label: part.text, url: part.url })]);
    case 'flow':
      return block(part.type, formatFlow(part));
    case 'navigate':
      return block(part.type, [
        formatLinkLine({ bang: true, label: 'navigate', url: navigateUrl(part.path, part.query) }),
      ]);
  }
}

/**
 * Writes parts as canonical `:::` text, parts separated by a blank line. For well-formed parts
 * `parseMessage(serializeParts(parts))` gives the same parts back, up to the parser's own
 * normalisation (adjacent text parts and adjacent card lists of one kind come back merged).
 * Well-formed means: text parts trimmed, non-empty and with no line starting with `:::`; labels,
 * titles and values on one line, without surrounding whitespace; urls and navigate paths without
 * whitespace (and paths without `?` or `#`); link titles, alt texts and names without `]`;
 * summary lines non-blank and not starting with `#` or reading as `![…](…)`.
 *
 * @example
 * ```ts
 * serializeParts([{ type: 'actions', actions: [{ label: 'Yes' }, { label: 'No' }] }]);
 * // '::: actions\n- Yes\n- No\n:::'
 * ```
 */
export function serializeParts(parts: readonly MessagePart[]): string {
  return parts
    .map((part) => (part.type === 'text' ? part.text : serializeComponent(part)))
    .join('\n\n');
}
