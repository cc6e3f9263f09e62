import { parseBody } from './body';
import type { ComponentPart, MessagePart } from './parts';
import { isCloser, openerKind } from './syntax';

/**
 * Text → parts. A small line scanner rather than a markdown parser: the `:::` format has a space
 * after the marker, no attributes and its own body grammar, which generic-directive parsers
 * (remark-directive) do not read (agent-platform-api §5.4).
 */

/**
 * Where the block opened at `start` ends: the index of its closer, or `undefined` when it is
 * unclosed. Another opener before the closer also makes it unclosed: an agent that forgot one
 * `:::` then loses only that block to text, not every block up to the next closer.
 */
function findCloser(lines: readonly string[], start: number): number | undefined {
  for (let index = start + 1; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    if (isCloser(line)) return index;
    if (openerKind(line) !== undefined) return undefined;
  }
  return undefined;
}

/** Collects parts, buffering text lines so text between blocks becomes one part. */
class PartsBuilder {
  readonly parts: MessagePart[] = [];
  private text: string[] = [];

  /** Adds lines of text. A loop, not `push(...lines)`: a huge block would overflow the stack. */
  addText(lines: readonly string[]): void {
    for (const line of lines) this.text.push(line);
  }

  addComponent(part: ComponentPart): void {
    this.flushText();
    const last = this.parts.at(-1);
    // Only whitespace between two card blocks of one kind (else flushText pushed a text part):
    // they are one list, as the agent writes one block per card.
    if (
      last !== undefined &&
      last.type === part.type &&
      (last.type === 'list-item' || last.type === 'horizontal-list-item') &&
      (part.type === 'list-item' || part.type === 'horizontal-list-item')
    ) {
      this.parts[this.parts.length - 1] = { ...last, items: [...last.items, ...part.items] };
      return;
    }
    this.parts.push(part);
  }

  /** Text is trimmed and dropped when empty: blank lines around blocks are layout, not content. */
  flushText(): void {
    const text = this.text.join('\n').trim();
    this.text = [];
    if (text !== '') this.parts.push({ type: 'text', text });
  }
}

/**
 * Parses a message's text into typed parts: `::: kind` … `:::` blocks become component parts and
 * the text around them becomes `text` parts. Never throws: an unknown kind, an unclosed block or
 * a body that does not fit its kind's grammar (or the part schema) is kept, line for line, as
 * text. Text parts are trimmed, adjacent text (including degraded blocks) is one part, and empty
 * text is dropped. Consecutive `list-item` (or `horizontal-list-item`) blocks separated only by
 * whitespace merge into one part with several items.
 *
 * @example
 * ```ts
 * parseMessage('Pick one:\n::: actions\n- Yes\n- No\n:::');
 * // [{ type: 'text', text: 'Pick one:' },
 * //  { type: 'actions', actions: [{ label: 'Yes' }, { label: 'No' }] }]
 * ```
 */
export function parseMessage(text: string): MessagePart[] {
  // Lines keep a trailing `\r` from CRLF text: every matcher trims, and text stays verbatim.
  const lines = String(text).split('\n');
  const builder = new PartsBuilder();
  let index = 0;
  while (index < lines.length) {
    const line = lines[index] ?? '';
    const kind = openerKind(line);
    const end = kind === undefined ? undefined : findCloser(lines, index);
    if (kind === undefined || end === undefined) {
      builder.addText([line]);
      index += 1;
      continue;
    }
    const part = parseBody(kind, lines.slice(index + 1, end));
    if (part === undefined) builder.addText(lines.slice(index, end + 1));
    else builder.addComponent(part);
    index = end + 1;
  }
  builder.flushText();
  return builder.parts;
}
