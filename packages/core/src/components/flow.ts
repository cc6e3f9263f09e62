import type { FlowPart } from './parts';
import { isBlank } from './syntax';

/**
 * The `flow` body: `key=value` lines. Agents write it loosely, so `key: value`, spaces around the
 * separator and one pair of surrounding quotes on the value are all accepted (the platform's own
 * parser accepts the same).
 */

// The key cannot contain `=` or `:`, so the first separator after it wins and a value may
// contain either (`body: Note: bring ID`). Flag `s`: a value may hold a `\r` or U+2028.
const ENTRY = /^([A-Za-z_][\w.-]*)\s*[=:]\s*(.*)$/s;

/** The `key=value` keys that map to named fields of {@link FlowPart}. */
const FIELDS = {
  flow_id: 'flowId',
  flow_cta: 'cta',
  body: 'body',
  header: 'header',
  footer: 'footer',
  screen: 'screen',
} as const satisfies Record<string, keyof FlowPart>;

type FieldKey = keyof typeof FIELDS;

function isField(key: string): key is FieldKey {
  return Object.hasOwn(FIELDS, key);
}

/** Strips one pair of matching surrounding quotes: `"a b"` → `a b`, `'x'` → `x`. */
function unquote(value: string): string {
  const first = value[0];
  if (value.length >= 2 && (first === '"' || first === "'") && value.endsWith(first)) {
    return value.slice(1, -1);
  }
  return value;
}

/**
 * Parses a flow body into a draft part, or `undefined` when a line is not `key=value` or a key
 * is given twice (which value was meant is a guess, so the block stays text). An empty value
 * counts as absent; missing `flow_id` / `flow_cta` is left to the zod schema to reject.
 */
export function parseFlow(lines: readonly string[]): Record<string, unknown> | undefined {
  const seen = new Set<string>();
  const draft: Record<string, unknown> = { type: 'flow' };
  const extra = new Map<string, string>();
  for (const line of lines) {
    if (isBlank(line)) continue;
    const match = ENTRY.exec(line.trim());
    if (match === null) return undefined;
    const [, key = '', raw = ''] = match;
    if (seen.has(key)) return undefined;
    seen.add(key);
    const value = unquote(raw.trim());
    if (value === '') continue;
    if (isField(key)) draft[FIELDS[key]] = value;
    else extra.set(key, value);
  }
  if (extra.size > 0) draft.extra = Object.fromEntries(extra);
  return draft;
}

/** Writes a value so {@link parseFlow} reads back exactly it, quoting only when needed. */
function formatValue(value: string): string {
  const plain = value === value.trim() && unquote(value) === value;
  return plain ? value : `"${value}"`;
}

/** Writes a flow part as `key=value` body lines, named fields first, then `extra` in order. */
export function formatFlow(part: FlowPart): string[] {
  const lines: string[] = [];
  for (const [key, field] of Object.entries(FIELDS)) {
    const value = part[field];
    if (value !== undefined) lines.push(`${key}=${formatValue(value)}`);
  }
  for (const [key, value] of Object.entries(part.extra ?? {})) {
    lines.push(`${key}=${formatValue(value)}`);
  }
  return lines;
}
