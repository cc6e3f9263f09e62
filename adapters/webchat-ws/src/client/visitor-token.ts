import type { ChatClientOptions } from './options';

/** Where the token of each connection comes from, and where an anonymous visitor's is kept. */
export interface VisitorTokenSource {
  /** The token for the next connection: the host's (fresh from its function), else the kept one. */
  next(): Promise<string | undefined>;
  /** Keeps the token the server gave an anonymous visitor, so a reload is the same visitor. */
  keep(token: string): void;
  /** Drops the kept token (the server refused it): the next connection makes a new visitor. */
  forget(): void;
}

function defaultStorage(): ChatClientOptions['storage'] {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    // Storage can throw when cookies are blocked.
    return null;
  }
}

/** The token source of a client's options; storage is kept per server URL. */
export function createVisitorTokenSource(
  options: Pick<ChatClientOptions, 'url' | 'token' | 'storage'>,
): VisitorTokenSource {
  const storage = options.storage === undefined ? defaultStorage() : options.storage;
  const storageKey = `threadline-webchat:${options.url}`;
  return {
    async next() {
      if (typeof options.token === 'function') return options.token();
      if (typeof options.token === 'string') return options.token;
      return storage?.getItem(storageKey) ?? undefined;
    },
    keep(token) {
      storage?.setItem(storageKey, token);
    },
    forget() {
      storage?.removeItem(storageKey);
    },
  };
}
