import type { Card } from './parts';
import { isBlank, matchLinkLine } from './syntax';

/**
 * The body grammar of `list-item` and `horizontal-list-item` blocks: `![image](url)`, `#Title`,
 * `##Subtitle` and summary lines. One block usually holds one card, but agents often put several
 * in one block, so a second title (or an image after a title) starts the next card.
 */

// `#Title` or `# Title`; the negative look-ahead leaves `##` to the subtitle rule. Flag `s`: a
// title may hold a `\r` or U+2028, which a bare `.` would not match.
const TITLE = /^#(?!#)\s*(.*)$/s;
// `##Subtitle` or `## Subtitle`. A third `#` belongs to the subtitle (`###x` is subtitle `#x`).
const SUBTITLE = /^##\s*(.*)$/s;

interface CardDraft {
  imageUrl?: string;
  title?: string;
  subtitle?: string;
  summary: string[];
}

function finish(draft: CardDraft): Partial<Card> {
  const card: Partial<Card> = {};
  if (draft.imageUrl !== undefined) card.imageUrl = draft.imageUrl;
  if (draft.title !== undefined) card.title = draft.title;
  if (draft.subtitle !== undefined) card.subtitle = draft.subtitle;
  if (draft.summary.length > 0) card.summary = draft.summary.join('\n');
  return card;
}

/**
 * Parses the body lines of a card block into cards, or returns `undefined` when a line breaks
 * the grammar: a `#` or `##` with no text, a second image or subtitle on one card. Cards are not
 * checked for a title here; the part's zod schema does that, so the rule lives in one place.
 */
export function parseCards(lines: readonly string[]): Partial<Card>[] | undefined {
  const cards: Partial<Card>[] = [];
  let draft: CardDraft = { summary: [] };
  const next = (): void => {
    cards.push(finish(draft));
    draft = { summary: [] };
  };

  for (const raw of lines) {
    if (isBlank(raw)) continue;
    const line = raw.trim();
    const image = matchLinkLine(line);
    if (image?.bang) {
      if (draft.title !== undefined) next();
      else if (draft.imageUrl !== undefined) return undefined;
      draft.imageUrl = image.url;
      continue;
    }
    const subtitle = SUBTITLE.exec(line);
    if (subtitle !== null) {
      const text = subtitle[1]?.trim() ?? '';
      if (text === '' || draft.subtitle !== undefined) return undefined;
      draft.subtitle = text;
      continue;
    }
    const title = TITLE.exec(line);
    if (title !== null) {
      const text = title[1]?.trim() ?? '';
      if (text === '') return undefined;
      if (draft.title !== undefined) next();
      draft.title = text;
      continue;
    }
    draft.summary.push(line);
  }
  next();
  return cards;
}

/**
 * Writes one card as body lines. A title that itself starts with `#` is written `# #…` so it is
 * not read back as a subtitle.
 */
export function formatCard(card: Card): string[] {
  const lines: string[] = [];
  if (card.imageUrl !== undefined) lines.push(`![image](${card.imageUrl})`);
  lines.push(card.title.startsWith('#') ? `# ${card.title}` : `#${card.title}`);
  if (card.subtitle !== undefined) lines.push(`##${card.subtitle}`);
  return card.summary === undefined ? lines : lines.concat(card.summary.split('\n'));
}
