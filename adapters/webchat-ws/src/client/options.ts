/** Reconnection backoff. */
export interface ReconnectOptions {
  /** First delay; default 500 ms. */
  minDelayMs?: number;
  /** Longest delay; default 30 s. */
  maxDelayMs?: number;
  /** Growth per failed attempt; default 2. */
  factor?: number;
}

/** Options of {@link createChatClient}. */
export interface ChatClientOptions {
  /** The server's WebSocket URL, e.g. `wss://example.com/webchat`. */
  url: string;
  /**
   * The visitor token your server minted, or a function that returns a fresh one: called before
   * every (re)connection, so an expired token is replaced without a page reload. Leave it out
   * for an anonymous visitor (the server must allow them).
   */
  token?: string | (() => string | Promise<string>);
  /** Where an anonymous visitor's token is kept across reloads; default `localStorage`, `null` for none. */
  storage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null;
  reconnect?: ReconnectOptions;
  /** Random source for jitter (tests). */
  random?: () => number;
  /** A WebSocket implementation, where there is no global one. */
  WebSocket?: typeof WebSocket;
}
