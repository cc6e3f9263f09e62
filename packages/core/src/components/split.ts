/**
 * Long text → several messages within a channel's length limit (SMS 1,600, WhatsApp 4,096, …).
 * Lengths are UTF-16 code units (`String#length`), which is never less than the characters a
 * provider counts, so a chunk that fits here fits there.
 */

// Break points, most preferred first: a paragraph break, a line break, any whitespace. Each is
// searched for only within the first `maxLength + 1` characters (a break right after a full
// chunk is fine), and the last one found wins so chunks are as full as the preference allows.
const BREAKS = [/\n[^\S\n]*\n/g, /\n/g, /\s/g] as const;

// A URL is `http://` or `https://` up to the next whitespace. Only whitespace is ever a break
// point, so a URL can only be cut by the hard split of an over-long token, which skips URLs.
const URL_START = /https?:\/\//i;

/** Index of the last match of `pattern` in `window` after position 0, or `undefined`. */
function lastBreak(window: string, pattern: RegExp): number | undefined {
  let found: number | undefined;
  for (const match of window.matchAll(pattern)) {
    if (match.index > 0) found = match.index;
  }
  return found;
}

/**
 * Where to cut `rest` (trimmed at the start, longer than `maxLength`) when no whitespace falls
 * within the limit, i.e. its first token is too long. Returns the cut index, which equals the
 * token's length when the token is a URL that must stay whole.
 */
function hardCut(rest: string, maxLength: number): number {
  const token = /^\S+/.exec(rest)?.[0] ?? rest;
  const urlAt = token.search(URL_START);
  if (urlAt === 0) return token.length;
  // Cut a prefix before a URL at the URL's start, so the URL itself is never cut.
  let cut = urlAt > 0 ? Math.min(urlAt, maxLength) : maxLength;
  // Do not cut between the two halves of a surrogate pair (an emoji), unless it is all there is.
  const code = rest.charCodeAt(cut - 1);
  if (cut > 1 && code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return cut;
}

/**
 * Splits text into chunks of at most `maxLength` characters, breaking at the last paragraph
 * break that fits, else the last line break, else the last space. Chunks are trimmed and never
 * empty; text that fits comes back as one trimmed chunk, and blank text as `[]`. A URL
 * (`http://` or `https://` up to whitespace) is never split: one longer than `maxLength` becomes
 * a chunk of its own, the only chunk allowed over the limit. Any other token longer than
 * `maxLength` is cut hard.
 *
 * @throws RangeError when `maxLength` is not an integer ≥ 1.
 * @example
 * ```ts
 * splitText('First paragraph.\n\nSecond paragraph.', 20);
 * // ['First paragraph.', 'Second paragraph.']
 * ```
 */
export function splitText(text: string, maxLength: number): string[] {
  if (!Number.isInteger(maxLength) || maxLength < 1) {
    throw new RangeError(`maxLength must be an integer of at least 1, got ${maxLength}`);
  }
  const chunks: string[] = [];
  let rest = text.trim();
  while (rest.length > maxLength) {
    const window = rest.slice(0, maxLength + 1);
    let cut: number | undefined;
    for (const pattern of BREAKS) {
      cut = lastBreak(window, pattern);
      if (cut !== undefined) break;
    }
    cut ??= hardCut(rest, maxLength);
    // `rest` starts with non-whitespace and `cut` > 0, so the chunk is never empty.
    chunks.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest !== '') chunks.push(rest);
  return chunks;
}
