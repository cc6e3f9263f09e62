import type { JsonValue, PubSub } from '@threadline/core';

type Handler = (message: JsonValue) => void;

/** The in-process pub/sub, plus `close` for the store to stop it. */
export interface MemoryPubSub extends PubSub {
  close(): void;
}

/**
 * In-process fan-out to every subscriber on one store object. Delivery is asynchronous (a
 * microtask), like a real broker's: a publisher never runs subscriber code inside its own call,
 * so a handler that throws or publishes again cannot break the sender. Each subscriber gets its
 * own copy of the message. Other processes see nothing: use a Redis or Postgres store for that.
 *
 * @example
 * ```ts
 * const stop = await store.pubsub.subscribe('thread:42', (message) => socket.send(JSON.stringify(message)));
 * await store.pubsub.publish('thread:42', { text: 'hi' });
 * await stop();
 * ```
 */
export function createMemoryPubSub(): MemoryPubSub {
  const topics = new Map<string, Set<Handler>>();
  let closed = false;

  return {
    async publish(topic, message) {
      if (closed) return;
      const handlers = topics.get(topic);
      if (handlers === undefined) return;
      const payload = JSON.stringify(message);
      for (const handler of handlers) {
        queueMicrotask(() => {
          // Unsubscribed between publish and delivery: unsubscribing stops delivery at once.
          if (!topics.get(topic)?.has(handler)) return;
          try {
            handler(JSON.parse(payload) as JsonValue);
          } catch {
            // Best effort, as the contract says: one failing subscriber must not crash the
            // process (an error thrown in a microtask is uncaught) nor starve the others.
          }
        });
      }
    },

    async subscribe(topic, handler) {
      // Wrapping makes each subscription distinct, even for one handler subscribed twice.
      const subscription: Handler = (message) => handler(message);
      const handlers = topics.get(topic) ?? new Set<Handler>();
      handlers.add(subscription);
      topics.set(topic, handlers);
      return async () => {
        handlers.delete(subscription);
        if (handlers.size === 0 && topics.get(topic) === handlers) topics.delete(topic);
      };
    },

    close() {
      closed = true;
      topics.clear();
    },
  };
}
