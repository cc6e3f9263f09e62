import { parseCards } from './cards';
import { parseFlow } from './flow';
import { type ComponentKind, type ComponentPart, MessagePartSchema } from './parts';
import { isBlank, type LinkLine, matchLinkLine } from './syntax';

/**
 * Body grammars of the `:::` kinds, one small function each. A grammar returns a draft part, or
 * `undefined` when a line does not fit; {@link parseBody} then checks the draft against the zod
 * schema, so required fields and non-empty lists are enforced in exactly one place (parts.ts).
 */

// `- Label` or `* Label`; at least one space, so `**bold**` and `---` are not read as buttons.
// Flag `s`: a label may hold a `\r` or U+2028, which a bare `.` would not match.
const ACTION = /^[-*]\s+(\S.*)$/s;

/** The non-blank lines of a body, trimmed. */
function contentLines(lines: readonly string[]): string[] {
  return lines.filter((line) => !isBlank(line)).map((line) => line.trim());
}

/** Applies `read` to every content line; `undefined` as soon as one line does not fit. */
function everyLine<T>(lines: readonly string[], read: (line: string) => T | undefined) {
  const items: T[] = [];
  for (const line of contentLines(lines)) {
    const item = read(line);
    if (item === undefined) return undefined;
    items.push(item);
  }
  return items;
}

/**
 * The title of a `[Title](url)` or `![keyword](url)` line. The image form carries a keyword
 * (`![link](url)`, `![document](url)`) rather than a title, but an agent that writes
 * `![Invoice.pdf](url)` means a name, so only the keyword or an empty label yields no title.
 */
function titleOf(link: LinkLine, keyword: string): string | undefined {
  if (link.label === '') return undefined;
  if (link.bang && link.label.toLowerCase() === keyword) return undefined;
  return link.label;
}

function parseActions(lines: readonly string[]) {
  const actions = everyLine(lines, (line) => {
    const label = ACTION.exec(line)?.[1]?.trim();
    return label === undefined ? undefined : { label };
  });
  return actions && { type: 'actions', actions };
}

function parseLinks(lines: readonly string[]) {
  const links = everyLine(lines, (line) => {
    const link = matchLinkLine(line);
    if (link === undefined) return undefined;
    const title = titleOf(link, 'link');
    return title === undefined ? { url: link.url } : { url: link.url, title };
  });
  return links && { type: 'links', links };
}

function parseImages(lines: readonly string[]) {
  const images = everyLine(lines, (line) => {
    const image = matchLinkLine(line);
    if (!image?.bang) return undefined;
    return image.label === '' ? { url: image.url } : { url: image.url, alt: image.label };
  });
  return images && { type: 'images', images };
}

function parseDocuments(lines: readonly string[]) {
  const documents = everyLine(lines, (line) => {
    const link = matchLinkLine(line);
    if (link === undefined) return undefined;
    const name = titleOf(link, 'document');
    return name === undefined ? { url: link.url } : { url: link.url, name };
  });
  return documents && { type: 'documents', documents };
}

function parsePayment(lines: readonly string[]) {
  const [line, ...more] = contentLines(lines);
  const link = line === undefined ? undefined : matchLinkLine(line);
  // Exactly one plain link: a second line would be a second checkout, which no channel shows.
  if (link === undefined || link.bang || more.length > 0) return undefined;
  return { type: 'payment', text: link.label, url: link.url };
}

function parseNavigate(lines: readonly string[]) {
  const [line, ...more] = contentLines(lines);
  const link = line === undefined ? undefined : matchLinkLine(line);
  if (!link?.bang || more.length > 0) return undefined;
  // The widget's onNavigate(pathname, { query }) has no place for a fragment, so it is dropped.
  const [beforeHash = ''] = link.url.split('#', 1);
  const at = beforeHash.indexOf('?');
  const path = at === -1 ? beforeHash : beforeHash.slice(0, at);
  const search = at === -1 ? '' : beforeHash.slice(at + 1);
  // URLSearchParams decodes `%xx` and `+` and never throws on a bad escape; a repeated key keeps
  // its last value, as most routers do.
  const query = Object.fromEntries(new URLSearchParams(search));
  return { type: 'navigate', path, query };
}

const GRAMMARS: Record<ComponentKind, (lines: readonly string[]) => unknown> = {
  'list-item': (lines) => {
    const items = parseCards(lines);
    return items && { type: 'list-item', items };
  },
  'horizontal-list-item': (lines) => {
    const items = parseCards(lines);
    return items && { type: 'horizontal-list-item', items };
  },
  actions: parseActions,
  links: parseLinks,
  images: parseImages,
  documents: parseDocuments,
  payment: parsePayment,
  flow: parseFlow,
  navigate: parseNavigate,
};

/**
 * Parses a block's body lines (between the opener and the closer) as `kind`. Returns
 * `undefined` when the body is malformed, so the caller can keep the block as text.
 */
export function parseBody(
  kind: ComponentKind,
  lines: readonly string[],
): ComponentPart | undefined {
  const draft = GRAMMARS[kind](lines);
  if (draft === undefined) return undefined;
  const result = MessagePartSchema.safeParse(draft);
  if (!result.success || result.data.type === 'text') return undefined;
  return result.data;
}
