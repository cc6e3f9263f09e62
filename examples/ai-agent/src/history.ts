import { parseMessage, renderFallbackText, type ThreadEntry } from '@threadline/core';
import type { ModelMessage } from 'ai';

/**
 * The thread as chat history for a model: the user's messages as `user`, everything sent to the
 * user (by this agent, a job or a person) as `assistant`, each tagged with its channel so the
 * model knows a reply on WhatsApp answers an email. `:::` components become the plain text a
 * text-only channel would show: a model reads that better than block syntax.
 *
 * @example
 * ```ts
 * toModelMessages(turn.thread.entries);
 * // [{ role: 'user', content: '[webchat] hi' }, { role: 'assistant', content: '[webchat] Hello!' }]
 * ```
 */
export function toModelMessages(entries: readonly ThreadEntry[]): ModelMessage[] {
  const messages: ModelMessage[] = [];
  for (const entry of entries) {
    const text = renderFallbackText(parseMessage(entry.text)).trim();
    if (text === '') continue;
    const content = `[${entry.channel}] ${text}`;
    messages.push(
      entry.direction === 'inbound' ? { role: 'user', content } : { role: 'assistant', content },
    );
  }
  return messages;
}
