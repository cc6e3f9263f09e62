import type { RenderedMessage } from './rendered';

/**
 * Distinct numbered words (`w00001 w00002 …`) adding up to at least `length` characters with
 * their spaces: text whose words can be counted back after splitting.
 */
export function numberedWords(length: number): string[] {
  const words: string[] = [];
  let total = 0;
  while (total < length) {
    const word = `w${String(words.length + 1).padStart(5, '0')}`;
    words.push(word);
    total += word.length + 1;
  }
  return words;
}

/** The text of each text message, in order. */
export const texts = (messages: readonly RenderedMessage[]): string[] =>
  messages.flatMap((message) => (message.type === 'text' ? [message.text] : []));
