import { COMPONENT_KINDS, defineCapabilities } from '@threadline/core';

/**
 * Outbound sends per second: in effect unlimited. The core paces every sender to
 * `capabilities.rate.perSecond`, which exists to stay under a provider's throughput limit
 * (WhatsApp answers 130429 past it). Web chat has no provider: a send is a write into the
 * visitor's socket buffer on this process, and what protects memory is the per-socket cap on
 * buffered bytes (`MAX_BUFFERED_BYTES`), not a rate. Any finite pace only delays frames: 5,000/s
 * alone spread a 10,000-user proactive fan-out over 2 s (bench B5), and it spares no CPU, since
 * every send does the same work whenever it runs.
 *
 * The schema needs a finite positive number (zod 4 refuses `Infinity`). With the largest double,
 * the pacer's interval (`1000 / perSecond`, about 5e-306 ms) is below the precision of any
 * timestamp it is added to, so the next slot never moves past "now" and no send ever waits.
 */
export const WEBCHAT_SENDS_PER_SECOND = Number.MAX_VALUE;

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
  // Not throttled: no provider limits a socket write (see WEBCHAT_SENDS_PER_SECOND).
  rate: { perSecond: WEBCHAT_SENDS_PER_SECOND },
});
