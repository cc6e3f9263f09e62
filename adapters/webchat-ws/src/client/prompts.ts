import type { ChatMessage } from './conversation';

/** The parts a visitor answers by tapping: buttons, the cards of a list, a flow's button. */
const PROMPT_PARTS: ReadonlySet<string> = new Set(['actions', 'list-item', 'flow']);

/** Whether a message asks the visitor to tap something. */
function isPrompt(message: ChatMessage): boolean {
  return message.from === 'agent' && message.parts.some((part) => PROMPT_PARTS.has(part.type));
}

/**
 * The keys of the prompts that can no longer be answered: every prompt the visitor has written
 * after (answered, on any channel of the thread), and every prompt but the newest (a later offer
 * replaces it). As on WhatsApp, tapping "Yes please" under yesterday's offer would answer a
 * question the conversation has left behind, so those buttons are shown inactive.
 */
export function settledPrompts(messages: readonly ChatMessage[]): Set<string> {
  const settled = new Set<string>();
  let laterVisitor = false;
  let laterPrompt = false;
  for (let index = messages.length - 1; index >= 0; index -= 1) {
    const message = messages[index] as ChatMessage;
    if (message.from === 'visitor') laterVisitor = true;
    else if (isPrompt(message)) {
      if (laterVisitor || laterPrompt) settled.add(message.key);
      laterPrompt = true;
    }
  }
  return settled;
}

/**
 * Shows a rendered message's prompt as answered (`.answered`, its buttons and cards disabled) or
 * live again. Idempotent: the widget calls it for every message on every render.
 */
export function markAnswered(element: HTMLElement, answered: boolean): void {
  if (element.classList.contains('answered') === answered) return;
  element.classList.toggle('answered', answered);
  for (const button of element.querySelectorAll<HTMLButtonElement>('button.action'))
    button.disabled = answered;
  for (const card of element.querySelectorAll<HTMLElement>('.card.choice')) {
    card.setAttribute('aria-disabled', String(answered));
    card.tabIndex = answered ? -1 : 0;
  }
}
