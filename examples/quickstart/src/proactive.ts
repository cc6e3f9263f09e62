import type { SendOutput, Threadline } from '@threadline/core';
import { WHATSAPP } from './config';

/** The offer the inspector's button sends: text with two reply buttons. */
export const PROACTIVE_TEXT =
  'A table by the window just opened up for 8pm tonight. Shall I move your booking?\n\n::: actions\n- Yes please\n- No thanks\n:::';

/**
 * The agent reaches out first on WhatsApp. Inside the 24-hour window (the user wrote on WhatsApp
 * within the last day) the text goes straight out. Outside it WhatsApp only takes templates, so
 * the core holds the text, sends the adapter's re-engagement template and answers
 * `queued: true`; when the user replies, the held text is delivered and recorded in the thread.
 * No code here decides which: the policy comes from the adapter's capabilities.
 */
export function sendProactiveWhatsApp(threadline: Threadline, userId: string): Promise<SendOutput> {
  return threadline.channels.send({
    channel: 'whatsapp',
    to: { userId },
    from: WHATSAPP.adapterId,
    text: PROACTIVE_TEXT,
  });
}
