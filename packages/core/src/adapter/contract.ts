import type { Capabilities } from '../capabilities/schema';
import type { EventSink } from '../events/inbound-events';
import type { OutboundEnvelope, SendResult, TemplateMessage } from '../message/outbound';
import type { ThreadStore } from '../store/thread-store';
import type { Clock } from '../time/clock';
import type { Logger } from '../time/logger';

/** Built-in channel names; an adapter may use any other string for a custom channel. */
export const CHANNELS = [
  'whatsapp',
  'sms',
  'email',
  'webchat',
  'teams',
  'messenger',
  'instagram',
] as const;
export type BuiltInChannel = (typeof CHANNELS)[number];
/** A channel name: one of {@link CHANNELS} or a custom one (`telegram`, `console`). */
export type ChannelName = BuiltInChannel | (string & {});

/** What the core passes to `handleWebhook` besides the request. */
export interface WebhookContext {
  sink: EventSink;
  /**
   * The URL the provider called, as the provider saw it. Differs from `request.url` behind a proxy
   * or tunnel; Twilio signs over this URL, so its adapter verifies against it.
   */
  publicUrl: string;
  /**
   * The request body's raw bytes, exactly as received, already read by the core under
   * `webhooks.maxBodyBytes`. Verify signatures and parse from these: reading `request`'s body
   * again works too, but costs a second copy through a stream on every webhook. The core always
   * sets it; it is optional so tests and hosts may call `handleWebhook` with a `Request` alone.
   */
  rawBody?: Uint8Array;
  /**
   * The request path below the adapter's route: `''` for `/webhooks/email`, `/unsubscribe` for
   * `/webhooks/email/unsubscribe`. Adapters with several routes (inbound, action links) switch on
   * it. The core always sets it.
   */
  path?: string;
  /** Hands slow work to the host's runtime (`ctx.waitUntil` on edge platforms). */
  waitUntil(promise: Promise<unknown>): void;
}

/**
 * What the core passes to `start` for adapters that hold connections (web chat sockets, an SMTP
 * listener). Everything an adapter may need beyond its own options.
 */
export interface AdapterContext {
  sink: EventSink;
  /** The agent whose threads these are (`createThreadline`'s `agentId`). */
  agentId: string;
  /** Read access for adapters that replay history (web chat resume) and fan out (pub/sub). */
  store: ThreadStore;
  clock: Clock;
  logger: Logger;
  /**
   * Tells the host about a failure no caller will see (a connection refused while it was being
   * set up): it reaches `onError` with `phase: 'inbound'` and the adapter's id. Optional so that a
   * context built by an older core, or by hand in a test, still type-checks; call it as
   * `context.reportError?.(error)`.
   */
  reportError?(error: unknown): void;
}

/** An action beyond sending a message, for adapters whose capabilities claim it. */
export interface AdapterActions {
  /** Marks an inbound message (and those before it) as read. */
  markRead?(input: { to: { address: string }; providerMessageId: string }): Promise<void>;
  /** Shows a typing indicator to the recipient. */
  sendTyping?(input: { to: { address: string }; replyTo?: string }): Promise<void>;
  /** Reacts to a message; an empty emoji removes the reaction. */
  react?(input: {
    to: { address: string };
    providerMessageId: string;
    emoji: string;
  }): Promise<SendResult>;
}

/**
 * One configured sender on one channel: a WhatsApp phone-number id, a Twilio number, an SMTP
 * mailbox, a Teams bot, a Facebook page. The core talks to every channel through this interface.
 *
 * - Inbound over HTTP: `handleWebhook` verifies the provider's signature on the raw body, answers
 *   handshakes, parses, and emits normalised events into `context.sink`.
 * - Inbound over a connection: `start` opens it (sockets, an SMTP listener) and emits into
 *   `context.sink`; `stop` closes it.
 * - Outbound: `send` renders and sends one envelope, returning the provider's id or throwing a
 *   `DeliveryError` with a category.
 *
 * @example
 * ```ts
 * const adapter: ChannelAdapter = {
 *   id: 'console', channel: 'console', capabilities,
 *   async send(envelope) { console.log(envelope.text); return { providerMessageId: crypto.randomUUID() }; },
 * };
 * ```
 */
export interface ChannelAdapter extends AdapterActions {
  /** Unique per runtime; the `channelIdentifier` users pin and the `:adapterId` of the webhook URL. */
  readonly id: string;
  readonly channel: ChannelName;
  readonly capabilities: Capabilities;
  /** The provider's name for errors and deliveries (`meta`, `twilio`, `smtp`, `botframework`). */
  readonly provider: string;
  /**
   * The template that asks a user to re-open a closed session window (WhatsApp's opt-in prompt).
   * The core sends it when a free-form send meets a closed window and the caller chose `queue`.
   */
  readonly reEngagementTemplate?: TemplateMessage;
  /**
   * The message tags (declared in `capabilities.window.tags`) this sender's app may use outside
   * the session window, in order of preference. Empty or absent: a closed window holds the
   * message (or fails it) as usual.
   */
  readonly windowTags?: readonly string[];
  /**
   * Verifies, parses and emits. A request whose signature is missing or wrong is answered `401`
   * and emits nothing; a handshake is answered as the provider expects. If `sink.emit` throws,
   * let it propagate: the core answers `500`, so the provider retries later.
   * Opt-out keywords in message text need no special event: the core reads them from
   * `capabilities.optOut`. Emit `opt-out`/`opt-in` only when the provider itself reports one.
   */
  handleWebhook?(request: Request, context: WebhookContext): Promise<Response>;
  start?(context: AdapterContext): Promise<void>;
  stop?(): Promise<void>;
  /**
   * Renders and sends one envelope: text parts per `planRender` (one provider message per
   * segment), then `media`, one message each. Throws only `DeliveryError` (a request the platform
   * cannot take, such as text over `text.maxParts`, is a non-retryable `invalid_request`).
   * `AdapterActions` methods exist exactly when `capabilities.features` claims them.
   *
   * `options.signal` is aborted (its reason a retryable `SendTimeoutError`) once the call has run
   * `outbox.sendTimeoutMs`: pass it to `fetch` or the SDK call so the request stops too. The
   * outbox stops waiting at that moment either way; an adapter that ignores the signal only
   * leaves its request running in the background.
   */
  send(envelope: OutboundEnvelope, options?: SendOptions): Promise<SendResult>;
}

/** What the outbox gives `ChannelAdapter.send` besides the envelope. */
export interface SendOptions {
  /** Aborted when the outbox stops waiting for this call (`outbox.sendTimeoutMs`). */
  signal?: AbortSignal;
}
