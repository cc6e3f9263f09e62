import type { OptOutKeywords } from '../../capabilities/schema';

/**
 * Whether a message is a carrier opt-out keyword. Carriers (and Twilio) count only a message that
 * is exactly one keyword, case-insensitively: "STOP" opts out, "stop please" does not.
 * Source: https://help.twilio.com/articles/223134027
 */
export function consentKeyword(
  keywords: OptOutKeywords | null,
  text: string,
): { kind: 'stop' | 'start' | 'help'; word: string } | null {
  if (!keywords) return null;
  const word = text.trim().toUpperCase();
  if (word === '' || /\s/.test(word)) return null;
  for (const kind of ['stop', 'start', 'help'] as const) {
    if (keywords[kind].some((keyword) => keyword.toUpperCase() === word)) return { kind, word };
  }
  return null;
}
