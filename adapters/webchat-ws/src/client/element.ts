import type { ConnectionState } from './connection';
import type { ChatMessage } from './conversation';
import { type ChatClient, createChatClient } from './headless';
import { formatDay, messageElement } from './message-element';
import type { ReconnectOptions } from './options';
import { markAnswered, settledPrompts } from './prompts';
import { WIDGET_CSS } from './styles';

/** What the page learns when the agent navigates (`::: navigate`). */
export interface NavigateDetail {
  path: string;
  query: Record<string, string>;
}

/**
 * `<threadline-chat>`: the chat widget. Attributes: `url` (required), `token`, `heading`,
 * `placeholder`, `show-channels` (messages of the thread that went through another channel carry
 * a badge naming it, e.g. "WhatsApp"; the server sends them live with the adapter's `mirror`). Properties: `token` may also be a function returning a fresh token, `reconnect`
 * tunes backoff, `onNavigate(path, { query })` handles `::: navigate`. Events: `navigate`
 * (detail `{ path, query }`) and `statechange` (detail `{ state }`).
 */
export interface ThreadlineChatElement extends HTMLElement {
  /** The headless client behind the widget (after it connected). */
  readonly client: ChatClient | undefined;
  /** A token, or a function returning a fresh one before each (re)connection. */
  token: string | (() => string | Promise<string>) | undefined;
  reconnect: ReconnectOptions | undefined;
  onNavigate: ((path: string, options: { query: Record<string, string> }) => void) | undefined;
  /** Closes the connection and opens it again with the current settings. */
  restart(): void;
}

const STATE_TEXT: Record<ConnectionState, string> = {
  idle: 'Offline',
  connecting: 'Connecting…',
  open: 'Connected',
  reconnecting: 'Reconnecting…',
  unauthorized: 'Signed out',
  'too-many-connections': 'Open in too many tabs',
  forbidden: 'Not available for this account',
};

/** How long "Agent is typing…" stays without a new typing frame. */
const TYPING_SHOWN_MS = 5_000;

/**
 * Defines `<threadline-chat>` (once; later calls return the same class). Call it in the browser:
 * the class extends `HTMLElement`, so it is created here rather than at import time, which keeps
 * the module importable during server-side rendering.
 *
 * @example
 * ```ts
 * import { defineThreadlineChat } from '@threadline/webchat-ws/client';
 * defineThreadlineChat();
 * // <threadline-chat url="wss://example.com/webchat" token="…" heading="Support"></threadline-chat>
 * ```
 */
export function defineThreadlineChat(tagName = 'threadline-chat'): CustomElementConstructor {
  const existing = customElements.get(tagName);
  if (existing !== undefined) return existing;

  class ThreadlineChat extends HTMLElement implements ThreadlineChatElement {
    static observedAttributes = ['url', 'token', 'heading', 'placeholder', 'show-channels'];
    #client: ChatClient | undefined;
    #unsubscribe: Array<() => void> = [];
    #token: ThreadlineChatElement['token'];
    reconnect: ReconnectOptions | undefined;
    onNavigate: ThreadlineChatElement['onNavigate'];
    readonly #root: ShadowRoot;
    readonly #heading: HTMLHeadingElement;
    readonly #state: HTMLElement;
    readonly #log: HTMLElement;
    readonly #typing: HTMLElement;
    readonly #input: HTMLTextAreaElement;
    readonly #rendered = new Map<
      string,
      { element: HTMLElement; version: number; status: string; day: string | undefined }
    >();
    #typingTimer: ReturnType<typeof setTimeout> | undefined;
    /** Whether the log follows the newest message (the reader has not scrolled up). */
    #stick = true;
    /** The log's scrollTop at the last scroll event: a smaller one is the reader scrolling up. */
    #lastTop = 0;
    readonly #resized: ResizeObserver | undefined;

    constructor() {
      super();
      this.#root = this.attachShadow({ mode: 'open' });
      const doc = this.ownerDocument;
      const style = doc.createElement('style');
      style.textContent = WIDGET_CSS;
      const header = doc.createElement('header');
      header.setAttribute('part', 'header');
      this.#heading = doc.createElement('h2');
      this.#state = doc.createElement('span');
      this.#state.className = 'state';
      this.#state.setAttribute('role', 'status');
      header.append(this.#heading, this.#state);
      this.#log = doc.createElement('div');
      this.#log.className = 'log';
      this.#log.setAttribute('part', 'log');
      this.#log.setAttribute('role', 'log');
      this.#log.setAttribute('aria-live', 'polite');
      this.#log.setAttribute('aria-label', 'Conversation');
      this.#log.tabIndex = 0;
      this.#log.addEventListener('scroll', () => {
        // Only the reader scrolling up lets go of the newest message; content that grows below
        // (a picture loading) leaves scrollTop where it was and must not.
        const top = this.#log.scrollTop;
        if (this.#nearBottom()) this.#stick = true;
        else if (top < this.#lastTop) this.#stick = false;
        this.#lastTop = top;
      });
      // Pictures, cards and fonts that size themselves after the message is drawn grow the log:
      // while it follows the newest message, keep that message in view.
      if (typeof ResizeObserver === 'function') {
        this.#resized = new ResizeObserver(() => this.#followNewest());
      }
      this.#typing = doc.createElement('div');
      this.#typing.className = 'typing';
      this.#typing.setAttribute('aria-live', 'polite');
      const form = doc.createElement('form');
      form.className = 'composer';
      form.setAttribute('part', 'composer');
      this.#input = doc.createElement('textarea');
      this.#input.rows = 1;
      this.#input.setAttribute('aria-label', 'Message');
      const send = doc.createElement('button');
      send.type = 'submit';
      send.textContent = 'Send';
      form.append(this.#input, send);
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        this.#submit();
      });
      this.#input.addEventListener('keydown', (event) => {
        if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
          event.preventDefault();
          this.#submit();
        }
      });
      this.#input.addEventListener('input', () => this.#client?.typing());
      this.#root.append(style, header, this.#log, this.#typing, form);
      this.#applyText();
      // No attribute on the host here: the constructor of an element made by createElement must
      // not add any (the DOM spec throws), so `data-state` is set once it is connected.
      this.#state.textContent = STATE_TEXT.idle;
    }

    get client() {
      return this.#client;
    }

    get token() {
      return this.#token ?? this.getAttribute('token') ?? undefined;
    }

    set token(value) {
      this.#token = value;
      if (this.isConnected) this.restart();
    }

    connectedCallback() {
      if (this.#client === undefined) this.#showState('idle');
      this.#start();
    }

    disconnectedCallback() {
      this.#stop();
    }

    attributeChangedCallback(name: string, previous: string | null, next: string | null) {
      if (previous === next) return;
      if (name === 'heading' || name === 'placeholder') this.#applyText();
      else if (name === 'show-channels') this.#rerender();
      else if (this.isConnected) this.restart();
    }

    restart() {
      this.#stop();
      this.#start();
    }

    #applyText() {
      this.#heading.textContent = this.getAttribute('heading') ?? 'Chat';
      this.#input.placeholder = this.getAttribute('placeholder') ?? 'Write a message…';
    }

    #start() {
      const url = this.getAttribute('url');
      if (url === null || this.#client !== undefined) return;
      const token = this.token;
      const client = createChatClient({
        url,
        ...(token === undefined ? {} : { token }),
        ...(this.reconnect === undefined ? {} : { reconnect: this.reconnect }),
      });
      this.#client = client;
      this.#unsubscribe = [
        client.on('state', (state) => this.#showState(state)),
        client.on('messages', (messages) => this.#render(messages)),
        client.on('typing', () => this.#showTyping()),
        client.on('navigate', (detail) => this.#navigate(detail)),
      ];
      client.connect();
    }

    #stop() {
      for (const stop of this.#unsubscribe) stop();
      this.#unsubscribe = [];
      this.#client?.close();
      this.#client = undefined;
      this.#rendered.clear();
      this.#log.replaceChildren();
      this.#showState('idle');
    }

    #submit() {
      const text = this.#input.value.trim();
      if (text === '' || this.#client === undefined) return;
      this.#client.send(text);
      this.#input.value = '';
    }

    #showState(state: ConnectionState) {
      this.dataset.state = state;
      this.#state.textContent = STATE_TEXT[state];
      this.dispatchEvent(new CustomEvent('statechange', { detail: { state } }));
    }

    #showTyping() {
      this.#typing.textContent = 'Agent is typing…';
      clearTimeout(this.#typingTimer);
      this.#typingTimer = setTimeout(() => {
        this.#typing.textContent = '';
      }, TYPING_SHOWN_MS);
    }

    #navigate(detail: NavigateDetail) {
      this.onNavigate?.(detail.path, { query: detail.query });
      this.dispatchEvent(new CustomEvent('navigate', { detail, bubbles: true, composed: true }));
    }

    #followNewest() {
      if (!this.#stick) return;
      this.#log.scrollTop = this.#log.scrollHeight;
      this.#lastTop = this.#log.scrollTop;
    }

    #nearBottom(): boolean {
      const log = this.#log;
      return log.scrollHeight - log.scrollTop - log.clientHeight < 40;
    }

    /** Draws every message again (a display setting changed). */
    #rerender() {
      for (const entry of this.#rendered.values()) entry.element.remove();
      this.#rendered.clear();
      this.#resized?.disconnect();
      if (this.#client) this.#render(this.#client.messages);
    }

    #render(messages: readonly ChatMessage[]) {
      const log = this.#log;
      const atBottom = this.#stick || this.#nearBottom();
      const showChannels = this.hasAttribute('show-channels');
      const keep = new Set<string>();
      let previous: Element | null = null;
      let latest = '';
      for (const message of messages) {
        keep.add(message.key);
        // A day separator above the first message of each later day (thread order decides; a
        // message stamped earlier than one above it starts no day).
        let day: string | undefined;
        if (message.at > latest) {
          const label = formatDay(message.at);
          if (label !== (latest === '' ? '' : formatDay(latest))) day = label;
          latest = message.at;
        }
        let entry = this.#rendered.get(message.key);
        if (entry === undefined || entry.version !== message.version || entry.day !== day) {
          const element = messageElement(
            this.ownerDocument,
            message,
            { send: (text) => this.#client?.send(text) },
            { showChannels, ...(day === undefined ? {} : { day }) },
          );
          // A picture that loads later grows the log: keep the newest message in view.
          for (const image of element.querySelectorAll('img'))
            image.addEventListener('load', () => this.#followNewest());
          this.#resized?.observe(element);
          if (entry !== undefined) {
            this.#resized?.unobserve(entry.element);
            entry.element.replaceWith(element);
          }
          entry = { element, version: message.version, status: message.status, day };
          this.#rendered.set(message.key, entry);
        }
        const expected: Element | null =
          previous === null ? log.firstElementChild : previous.nextElementSibling;
        if (expected !== entry.element) {
          if (previous === null) log.prepend(entry.element);
          else previous.after(entry.element);
        }
        previous = entry.element;
      }
      const settled = settledPrompts(messages);
      for (const [key, entry] of this.#rendered) {
        if (keep.has(key)) {
          markAnswered(entry.element, settled.has(key));
          continue;
        }
        this.#resized?.unobserve(entry.element);
        entry.element.remove();
        this.#rendered.delete(key);
      }
      const last = messages.at(-1);
      if (last?.from === 'agent') {
        clearTimeout(this.#typingTimer);
        this.#typing.textContent = '';
      }
      if (atBottom || last?.from === 'visitor') {
        this.#stick = true;
        this.#followNewest();
      }
      if (this.ownerDocument.visibilityState === 'visible') this.#client?.markRead();
    }
  }

  customElements.define(tagName, ThreadlineChat);
  return ThreadlineChat;
}
