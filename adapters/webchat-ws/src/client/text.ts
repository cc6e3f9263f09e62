import { safeLink } from './safe-url';

/**
 * The little markdown agents write (capabilities say `format: 'markdown'`): paragraphs, line
 * breaks, `**bold**`, `*italic*`/`_italic_`, `` `code` ``, `[text](url)` and bare links. Built
 * with DOM nodes and `textContent` only, never `innerHTML`, so message text cannot inject markup.
 */
const INLINE =
  /(\*\*([^*]+)\*\*)|(`([^`]+)`)|(\[([^\]]+)\]\(([^)\s]+)\))|(https?:\/\/[^\s<]*[^\s<.,:;"')\]!?])|(\*([^*\s][^*]*)\*)|(_([^_\s][^_]*)_)/g;

function link(document: Document, href: string, label: string): Node {
  const safe = safeLink(href);
  if (safe === undefined) return document.createTextNode(label);
  const anchor = document.createElement('a');
  anchor.href = safe;
  anchor.textContent = label;
  anchor.target = '_blank';
  anchor.rel = 'noopener noreferrer';
  return anchor;
}

function appendWithBreaks(document: Document, parent: Node, text: string): void {
  text.split('\n').forEach((line, index) => {
    if (index > 0) parent.appendChild(document.createElement('br'));
    if (line !== '') parent.appendChild(document.createTextNode(line));
  });
}

/** Appends one paragraph's inline content. */
function appendInline(document: Document, parent: Node, text: string): void {
  let last = 0;
  for (const match of text.matchAll(INLINE)) {
    const index = match.index ?? 0;
    appendWithBreaks(document, parent, text.slice(last, index));
    last = index + match[0].length;
    if (match[2] !== undefined) {
      const strong = document.createElement('strong');
      strong.textContent = match[2];
      parent.appendChild(strong);
    } else if (match[4] !== undefined) {
      const code = document.createElement('code');
      code.textContent = match[4];
      parent.appendChild(code);
    } else if (match[6] !== undefined && match[7] !== undefined) {
      parent.appendChild(link(document, match[7], match[6]));
    } else if (match[8] !== undefined) {
      parent.appendChild(link(document, match[8], match[8]));
    } else {
      const em = document.createElement('em');
      em.textContent = match[10] ?? match[12] ?? '';
      parent.appendChild(em);
    }
  }
  appendWithBreaks(document, parent, text.slice(last));
}

/** Renders text as paragraphs (blank lines) with inline formatting. */
export function renderText(document: Document, text: string): HTMLElement {
  const container = document.createElement('div');
  container.className = 'text';
  for (const paragraph of text.split(/\n{2,}/)) {
    if (paragraph.trim() === '') continue;
    const p = document.createElement('p');
    appendInline(document, p, paragraph);
    container.appendChild(p);
  }
  return container;
}
