import { COMPONENT_KINDS, defineCapabilities } from '@threadline/core';

/** Outbound sends per second one web chat adapter paces itself to (see `rate` below). */
export const WEBCHAT_SENDS_PER_SECOND = 5_000;

/**
 * Longest text in one message bubble. The channel itself has no limit (it is our own protocol);
 * splitting long agent replies into bubbles of at most 4096 characters keeps them readable and
 * matches what people are used to from WhatsApp and Telegram (4096). Source: our own choice.
 */
export const WEBCHAT_TEXT_MAX_LENGTH = 4096;

/**
 * Media are links the browser loads; the adapter never uploads them, so the limit is nominal and
 * only guards against a mistaken multi-gigabyte link being rendered inline.
 */
const LINKED_MEDIA = { maxBytes: 100 * 1024 * 1024, caption: true };

/**
 * What web chat can do. Every `:::` component is native (the widget renders all of them, and
 * `navigate` is an instruction to the page, never shown), replies stream, typing and read
 * receipts go both ways.
 *
 * Reach is `warm-only`: a visitor is reachable once they have connected at least once, because
 * the adapter records a `reference` on their identity when a socket opens (a `conversation-update`
 * with action `connected`). A user who never opened the widget has no address on this channel
 * (identity `channel`), so there is nobody to send to. Sends to a known user who is offline are
 * kept in the thread and replayed when they reconnect.
 */
export const webChatCapabilities = defineCapabilities({
  reach: { cold: 'warm-only', addressBy: ['userId'], identity: 'channel' },
  window: null,
  optOut: null,
  text: { maxLength: WEBCHAT_TEXT_MAX_LENGTH, format: 'markdown' },
  components: Object.fromEntries(COMPONENT_KINDS.map((kind) => [kind, { mode: 'native' }])) as {
    [K in (typeof COMPONENT_KINDS)[number]]: { mode: 'native' };
  },
  media: {
    image: LINKED_MEDIA,
    video: LINKED_MEDIA,
    audio: LINKED_MEDIA,
    document: LINKED_MEDIA,
  },
  templates: { supported: false, categories: [] },
  // `sent`: at least one of the visitor's sockets on the sending instance took the frame;
  // `read`: the widget reported it visible.
  receipts: ['sent', 'read'],
  features: { reactions: false, typing: true, markRead: true, streaming: true, replyTo: false },
  // No provider to throttle us; this only paces the outbox so one busy agent cannot starve the
  // event loop of the instance holding the sockets. 500/s spread a 2,000-user proactive fan-out
  // over 4 s (bench B5); a socket write costs microseconds, so 5,000/s keeps the guard without
  // being the bottleneck.
  rate: { perSecond: WEBCHAT_SENDS_PER_SECOND },
});
