import type { JsonValue, PubSub } from '@threadline/core';
import type { RedisContext } from './context';

/** The first Redis version with sharded pub/sub (`SPUBLISH`/`SSUBSCRIBE`). */
export const SHARDED_PUBSUB_SINCE = 7;

type Handler = (message: JsonValue) => void;

/** Redis pub/sub plus `close` for the store. */
export interface RedisPubSub extends PubSub {
  close(): Promise<void>;
}

/**
 * Cross-instance fan-out on Redis pub/sub: one subscriber connection per store, one Redis
 * subscription per topic however many handlers listen. Sharded pub/sub (`SPUBLISH`, Redis 7+)
 * when the server has it: on a Cluster a message then stays on the shard that owns its channel
 * instead of being broadcast to every node. Messages on one topic arrive in publish order (one
 * channel, one connection); a handler that throws affects no other.
 *
 * @example
 * ```ts
 * const stop = await store.pubsub.subscribe('webchat:ann', (message) => socket.send(JSON.stringify(message)));
 * await store.pubsub.publish('webchat:ann', { text: 'hi' });
 * ```
 */
export function createRedisPubSub(
  ctx: RedisContext,
  mode: 'auto' | 'sharded' | 'classic',
): RedisPubSub {
  const topics = new Map<string, Set<Handler>>();
  let sharded: Promise<boolean> | undefined;
  let subscriber: ReturnType<RedisContext['conn']['subscriber']> | undefined;

  function useSharded(): Promise<boolean> {
    sharded ??= (async () => {
      if (mode !== 'auto') return mode === 'sharded';
      const info = String(await ctx.conn.command('pubsub.publish', ['INFO', 'server']));
      const major = Number(/redis_version:(\d+)/.exec(info)?.[1] ?? '0');
      return major >= SHARDED_PUBSUB_SINCE;
    })().catch((error: unknown) => {
      sharded = undefined;
      throw error;
    });
    return sharded;
  }

  function deliver(topic: string, payload: string): void {
    for (const handler of topics.get(topic) ?? []) {
      try {
        handler(JSON.parse(payload) as JsonValue);
      } catch {
        // Best effort, as the contract says: one failing subscriber must not starve the others.
      }
    }
  }

  return {
    async publish(topic, message) {
      const command = (await useSharded()) ? 'SPUBLISH' : 'PUBLISH';
      await ctx.conn.command('pubsub.publish', [
        command,
        ctx.keys.topic(topic),
        JSON.stringify(message),
      ]);
    },

    async subscribe(topic, handler) {
      const isSharded = await useSharded();
      subscriber ??= ctx.conn.subscriber();
      const client = await subscriber;
      const channel = ctx.keys.topic(topic);
      // Wrapping makes each subscription distinct, even for one handler subscribed twice.
      const subscription: Handler = (message) => handler(message);
      let handlers = topics.get(topic);
      if (handlers === undefined) {
        handlers = new Set();
        topics.set(topic, handlers);
        const listener = (payload: string) => deliver(topic, payload);
        if (isSharded) await client.sSubscribe(channel, listener);
        else await client.subscribe(channel, listener);
      }
      handlers.add(subscription);
      return async () => {
        const current = topics.get(topic);
        if (current === undefined || !current.delete(subscription) || current.size > 0) return;
        topics.delete(topic);
        if (!client.isOpen) return;
        if (isSharded) await client.sUnsubscribe(channel);
        else await client.unsubscribe(channel);
      };
    },

    async close() {
      topics.clear();
    },
  };
}
