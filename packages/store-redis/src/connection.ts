import { createHash } from 'node:crypto';
import { createClient, type RedisClientType } from '@redis/client';
import { type Logger, StoreError } from '@threadline/core';
import calculateSlot from 'cluster-key-slot';
import { toStoreError } from './errors';

/** A reply as node-redis gives it over RESP2: strings, integers, `null` and nested arrays. */
export type Reply = string | number | null | Reply[];

/** A Lua script with its SHA1, so it is sent by `EVALSHA` and only loaded when Redis lacks it. */
export interface Script {
  name: string;
  source: string;
  sha: string;
}

/**
 * A Lua script for {@link Connection.run}. Its SHA1 is computed once here, as Redis computes it.
 *
 * @example
 * ```ts
 * const GET_TWICE = defineScript('get-twice', "return { redis.call('GET', KEYS[1]), redis.call('GET', KEYS[1]) }");
 * ```
 */
export function defineScript(name: string, source: string): Script {
  return { name, source, sha: createHash('sha1').update(source).digest('hex') };
}

/** How long a reconnect waits at most between attempts. */
const MAX_RECONNECT_DELAY_MS = 2_000;

/** Attempts of the first connect before a command fails (each later command tries again). */
const FIRST_CONNECT_ATTEMPTS = 3;

/** The one connection every part of the store sends through. */
export interface Connection {
  /** Sends one command. `operation` names the store method in errors. */
  command(operation: string, args: readonly string[]): Promise<Reply>;
  /**
   * Runs a script by `EVALSHA`, loading it with `EVAL` when the server answers `NOSCRIPT` (a
   * restarted or failed-over server has an empty script cache). Every key in `keys` must hash to
   * one slot: a script that would cross slots is refused here, before a Cluster refuses it.
   */
  run(
    operation: string,
    script: Script,
    keys: readonly string[],
    args: readonly string[],
  ): Promise<Reply>;
  /** A second connection for subscriptions (a subscribed connection can send nothing else). */
  subscriber(): Promise<RedisClientType>;
  close(): Promise<void>;
}

/** The keys a Cluster would route together: `null` when `keys` is empty. */
function slotOf(keys: readonly string[], script: Script): number | null {
  let slot: number | null = null;
  for (const key of keys) {
    const next = calculateSlot(key);
    if (slot !== null && next !== slot) {
      throw new StoreError(
        `Redis store: script ${script.name} would touch keys in two hash slots (${keys.join(', ')}); this is a bug in the key layout`,
        { code: 'store_failed' },
      );
    }
    slot = next;
  }
  return slot;
}

/**
 * Opens the store's connection lazily: the first command connects (trying
 * {@link FIRST_CONNECT_ATTEMPTS} times), later losses reconnect in the background with a growing
 * delay. The offline queue is off, so while Redis is away a command fails at once with a
 * retryable `StoreError` instead of waiting in memory for a server that may never come back:
 * nothing is acknowledged that Redis did not write.
 */
export function openConnection(input: {
  url?: string;
  connectTimeoutMs: number;
  logger: Logger;
}): Connection {
  let everConnected = false;
  const client = createClient({
    ...(input.url === undefined ? {} : { url: input.url }),
    RESP: 2,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: input.connectTimeoutMs,
      reconnectStrategy: (retries: number, cause: Error) => {
        if (!everConnected && retries >= FIRST_CONNECT_ATTEMPTS) return cause;
        return Math.min(50 * 2 ** retries, MAX_RECONNECT_DELAY_MS);
      },
    },
  });
  const subscribers: RedisClientType[] = [];
  let connecting: Promise<void> | undefined;
  // Once closed, a command must not connect again: a call after close() is the caller's bug.
  let closed = false;

  // Unheard, an 'error' event would crash the process; the reconnect strategy handles it.
  client.on('error', (error: Error) => {
    if (everConnected) input.logger.warn({ error: error.message }, 'redis store: connection error');
  });
  client.on('ready', () => {
    everConnected = true;
  });

  async function ready(operation: string): Promise<void> {
    if (closed) {
      throw new StoreError(`The Redis store is closed (called ${operation})`, {
        code: 'store_closed',
      });
    }
    if (client.isReady) return;
    if (everConnected && client.isOpen) {
      throw new StoreError(`Redis store: ${operation} failed, Redis is reconnecting; try again`, {
        code: 'store_unavailable',
        retryable: true,
      });
    }
    connecting ??= client.connect().then(
      () => undefined,
      (error: unknown) => {
        connecting = undefined;
        throw error;
      },
    );
    try {
      await connecting;
    } catch (error) {
      throw toStoreError(error, operation);
    }
  }

  async function send(operation: string, args: readonly string[]): Promise<Reply> {
    await ready(operation);
    try {
      return (await client.sendCommand([...args])) as Reply;
    } catch (error) {
      throw toStoreError(error, operation);
    }
  }

  return {
    command: send,

    async run(operation, script, keys, args) {
      slotOf(keys, script);
      const tail = [String(keys.length), ...keys, ...args];
      await ready(operation);
      try {
        return (await client.sendCommand(['EVALSHA', script.sha, ...tail])) as Reply;
      } catch (error) {
        if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) {
          throw toStoreError(error, operation);
        }
      }
      return send(operation, ['EVAL', script.source, ...tail]);
    },

    async subscriber() {
      await ready('pubsub.subscribe');
      // RESP3 lets one connection subscribe; a duplicate keeps commands and messages apart anyway.
      const duplicate = client.duplicate({ RESP: 3, disableOfflineQueue: false });
      duplicate.on('error', (error: Error) => {
        input.logger.warn({ error: error.message }, 'redis store: subscriber connection error');
      });
      await duplicate.connect();
      subscribers.push(duplicate as unknown as RedisClientType);
      return duplicate as unknown as RedisClientType;
    },

    async close() {
      closed = true;
      for (const subscriber of subscribers.splice(0)) {
        if (subscriber.isOpen) await subscriber.close();
      }
      if (client.isOpen) await client.close();
      else client.destroy();
    },
  };
}
