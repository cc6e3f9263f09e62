import type { ChatMessage } from './conversation';
import { type RenderActions, renderMedia, renderPart } from './render';
import { templateElement } from './template-note';

const STATUS_TEXT: Partial<Record<ChatMessage['status'], string>> = {
  sending: 'Sending…',
  read: 'Read',
  failed: 'Not sent',
};

/** How the badge names the channels Threadline ships; any other shows as its id. */
const CHANNEL_NAMES: Readonly<Record<string, string>> = {
  whatsapp: 'WhatsApp',
  sms: 'SMS',
  email: 'Email',
  messenger: 'Messenger',
  instagram: 'Instagram',
  teams: 'Teams',
};

/** The other channel a message went through, or `undefined` for this web chat's own. */
function otherChannel(message: ChatMessage): string | undefined {
  if (message.channel === undefined || message.channel === 'webchat') return undefined;
  return CHANNEL_NAMES[message.channel] ?? message.channel;
}

/** `Thu 3 Dec` in the reader's locale: the label of a day separator. */
export function formatDay(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? ''
    : date.toLocaleDateString([], { weekday: 'short', day: 'numeric', month: 'short' });
}

function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? ''
    : date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

/**
 * One message of the widget's log: who said it (for screen readers), the bubble with its parts
 * and media, and the time and status. A message still streaming shows its text as it comes, since
 * its parts are only known at the end.
 */
export function messageElement(
  doc: Document,
  message: ChatMessage,
  actions: RenderActions,
  display: { showChannels?: boolean; day?: string } = {},
): HTMLElement {
  const channel = display.showChannels ? otherChannel(message) : undefined;
  const article = doc.createElement('article');
  article.className = `message from-${message.from} ${message.status}`;
  article.setAttribute('part', 'message');
  article.dataset.key = message.key;
  if (message.seq !== undefined) article.dataset.seq = String(message.seq);
  if (message.channel !== undefined) article.dataset.channel = message.channel;
  const who = doc.createElement('span');
  who.className = 'sr-only';
  who.textContent =
    (message.from === 'visitor' ? 'You said' : message.from === 'agent' ? 'Agent said' : 'Note') +
    (channel === undefined ? ':' : ` on ${channel}:`);
  const bubble = doc.createElement('div');
  bubble.className = 'bubble';
  const template = message.from === 'agent' ? templateElement(doc, message.text) : undefined;
  if (message.status === 'streaming') {
    const text = doc.createElement('div');
    text.className = 'text';
    text.textContent = message.text;
    bubble.appendChild(text);
  } else if (template !== undefined) {
    bubble.appendChild(template);
  } else {
    for (const part of message.parts) {
      const element = renderPart(doc, part, actions);
      if (element !== undefined) bubble.appendChild(element);
    }
  }
  for (const media of message.media ?? []) {
    const element = renderMedia(doc, media);
    if (element !== undefined) bubble.appendChild(element);
  }
  const meta = doc.createElement('div');
  meta.className = 'meta';
  meta.textContent = [formatTime(message.at), STATUS_TEXT[message.status]]
    .filter(Boolean)
    .join(' · ');
  if (channel !== undefined) {
    const badge = doc.createElement('span');
    badge.className = 'channel';
    badge.setAttribute('part', 'channel');
    badge.setAttribute('aria-hidden', 'true');
    badge.textContent = channel;
    meta.prepend(badge);
  }
  if (display.day !== undefined) {
    article.classList.add('starts-day');
    const separator = doc.createElement('div');
    separator.className = 'day';
    separator.setAttribute('part', 'day');
    separator.setAttribute('role', 'separator');
    separator.textContent = display.day;
    article.append(separator);
  }
  article.append(who, bubble, meta);
  return article;
}
