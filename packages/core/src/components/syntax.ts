import { COMPONENT_KINDS, type ComponentKind } from './parts';

/**
 * The line-level grammar of `:::` blocks, shared by the parser and the serializer so the two
 * cannot drift apart. Every matcher works on one line and tolerates surrounding whitespace,
 * because agents indent and pad blocks unpredictably.
 */

const KINDS: ReadonlySet<string> = new Set(COMPONENT_KINDS);

// `::: kind`: one or more spaces or tabs between the marker and the kind, nothing after it.
const OPENER = /^\s*:::[ \t]+(\S+)\s*$/;

// `[label](url)` or `![label](url)`. The url is everything non-blank up to the last `)` of the
// line, so urls that contain parentheses (Wikipedia) survive; the label cannot contain `]`.
const LINK = /^(!?)\[([^\]\n]*)\]\((\S+)\)$/;

/**
 * The kind a line opens, or `undefined` when the line is no opener. A `::: name` line with an
 * unknown name is not an opener: it stays text, which is how unknown kinds degrade.
 */
export function openerKind(line: string): ComponentKind | undefined {
  const kind = OPENER.exec(line)?.[1];
  return kind !== undefined && KINDS.has(kind) ? (kind as ComponentKind) : undefined;
}

/** Whether a line closes a block: exactly `:::`, surrounding whitespace allowed. */
export function isCloser(line: string): boolean {
  return line.trim() === ':::';
}

/** Whether a line is blank (only whitespace), which every body grammar ignores. */
export function isBlank(line: string): boolean {
  return line.trim() === '';
}

/** A `[label](url)` or `![label](url)` line, taken apart. */
export interface LinkLine {
  /** `true` for the `![label](url)` (image) form. */
  bang: boolean;
  /** The label, trimmed; may be empty. */
  label: string;
  url: string;
}

/** Takes a `[label](url)` / `![label](url)` line apart, or `undefined` if it is not one. */
export function matchLinkLine(line: string): LinkLine | undefined {
  const match = LINK.exec(line.trim());
  if (match === null) return undefined;
  const [, bang = '', label = '', url = ''] = match;
  return { bang: bang === '!', label: label.trim(), url };
}

/** Writes a `[label](url)` line, or `![label](url)` when `bang` is set. */
export function formatLinkLine(link: LinkLine): string {
  return `${link.bang ? '!' : ''}[${link.label}](${link.url})`;
}
